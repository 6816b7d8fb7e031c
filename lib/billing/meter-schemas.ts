// /api/v1/meters contract: what a meter counts. Shared by the route handlers and the admin form (no server-only
// imports: the browser bundles this file), so both report the same field errors.
import { z } from "zod";

export const meterSources = ["events", "tasks"] as const;
export const meterAggregations = ["count", "sum_quantity", "sum_property", "max", "unique_count"] as const;
export const taskHandlers = ["agent", "human"] as const;
export const taskStatuses = ["completed", "escalated", "failed"] as const;

const key = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "Use 1–64 lowercase letters, digits, '.', '_' or '-'");
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

const fields = {
  name: z.string().trim().min(1, "Required").max(200),
  unit: z.string().trim().min(1).max(64),
  source: z
    .enum(meterSources)
    .meta({ description: "events: every usage event counts; tasks: only events carrying a task (outcomes), filtered by the task fields below" }),
  eventType: optionalText(128).meta({ description: "Only events of this type count (null = any type)" }),
  propertyFilter: z
    .record(z.string().min(1).max(128), z.union([z.string(), z.number(), z.boolean()]))
    .nullable()
    .optional()
    .meta({ description: "Only events whose properties contain these values count" }),
  aggregation: z.enum(meterAggregations),
  property: optionalText(128).meta({ description: "For sum_property, max and unique_count: an event column (cost, quantity, token columns, duration_seconds) or a JSON property" }),
  taskType: optionalText(128).meta({ description: "tasks only: the task type counted (null = any)", example: "case_resolution" }),
  handledBy: z.enum(taskHandlers).nullable().optional().meta({ description: "tasks only: who handled the tasks counted (null = either)" }),
  agent: key.nullable().optional().meta({ description: "tasks only: one agent's tasks (its key); implies handled by an agent" }),
  taskStatuses: z
    .array(z.enum(taskStatuses))
    .max(3)
    .refine((a) => new Set(a).size === a.length, "lists a status more than once")
    .meta({ description: "tasks only: statuses counted ([] = any). [completed] = resolved without escalation or failure" }),
};

type MeterInput = { source?: string; aggregation?: string; property?: string | null; taskType?: string | null; handledBy?: string | null; agent?: string | null; taskStatuses?: string[] };

/** Rules across fields, on the meter as it will be stored (a PATCH is checked merged with the current meter). */
function crossFieldRules(m: MeterInput, ctx: z.RefinementCtx) {
  const needsProperty = m.aggregation === "sum_property" || m.aggregation === "max" || m.aggregation === "unique_count";
  if (needsProperty && !m.property) ctx.addIssue({ code: "custom", path: ["property"], message: `Required for ${m.aggregation}: the column or property to aggregate` });
  if (!needsProperty && m.property) ctx.addIssue({ code: "custom", path: ["property"], message: `Only sum_property, max and unique_count aggregate a property; leave it empty for ${m.aggregation}` });
  if (m.source !== "tasks") {
    for (const f of ["taskType", "handledBy", "agent"] as const) {
      if (m[f]) ctx.addIssue({ code: "custom", path: [f], message: "Only meters over tasks (source tasks) filter by task" });
    }
    if (m.taskStatuses?.length) ctx.addIssue({ code: "custom", path: ["taskStatuses"], message: "Only meters over tasks (source tasks) filter by task" });
  }
  if (m.agent && m.handledBy === "human") ctx.addIssue({ code: "custom", path: ["handledBy"], message: "A meter of one agent's tasks counts tasks agents handled: choose agent or leave it empty" });
}

export const meterCreate = z
  .strictObject({ key, ...fields, unit: fields.unit.default("unit"), source: fields.source.default("events"), taskStatuses: fields.taskStatuses.default([]) })
  .superRefine(crossFieldRules);
/** Key and source stay: a meter that changes what it counts from events to tasks is a new meter. No defaults here. */
export const meterUpdate = z.strictObject(fields).omit({ source: true }).partial();
export const meterStored = z.object(fields).superRefine(crossFieldRules);

export const meterView = z
  .strictObject({
    id: z.number().int(),
    key: z.string(),
    name: z.string(),
    unit: z.string(),
    source: z.enum(meterSources),
    eventType: z.string().nullable(),
    propertyFilter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
    aggregation: z.enum(meterAggregations),
    property: z.string().nullable(),
    taskType: z.string().nullable(),
    handledBy: z.enum(taskHandlers).nullable(),
    agent: z.string().nullable(),
    taskStatuses: z.array(z.enum(taskStatuses)),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Meter" });

export const meterList = z.strictObject({ items: z.array(meterView) });
export const meterKeyParams = z.strictObject({ key: z.string().min(1).max(64) });

export type MeterCreate = z.input<typeof meterCreate>;
export type MeterView = z.infer<typeof meterView>;
