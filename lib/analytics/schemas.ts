// Request and response schemas of the dashboard APIs (usage, workload, ROI, agents, dimensions).
// Pure zod, no server code: the route handlers, the OpenAPI document and the tests all read them.
import { z } from "zod";
import { MAX_HOURLY_DAYS, MAX_SERIES } from "@/lib/api/limits";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";
import { unpricedSummary } from "@/lib/pricing/schemas";
import { checkRange, dayString, rangeFields, rangeIssues, type RangeLimit } from "./period";
import { conversionFields, displayCurrencyParam, rateDates } from "@/lib/currency/display-schemas";

/** Keys that stand for "no value" in group keys and filters. */
export const UNASSIGNED = "UNASSIGNED"; // department 0 (kept from the Overview's links)
export const NONE = "(none)"; // no customer, no model, property not set, no task type

/** `property:<name>` — a promoted custom dimension (group by or filter). */
export const PROPERTY_PREFIX = "property:";
const DIMENSION_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const dimensionName = z.string().regex(DIMENSION_NAME, "must be 1–64 letters, digits, '_', '.' or '-'");

/** Comma-separated values; empty means "no filter". */
const valueList = z
  .string()
  .max(2000)
  .optional()
  .transform((s) => {
    const values = (s ?? "").split(",").map((v) => v.trim()).filter(Boolean);
    return values.length ? values : undefined;
  });

const filterFields = {
  agent: valueList,
  department: valueList,
  model: valueList,
  customer: valueList,
  type: valueList,
  taskType: valueList,
  provider: valueList.meta({ description: "Providers (the events' properties.provider: a FOCUS import's ServiceProviderName, OTLP's gen_ai.provider.name); (none) = events without one" }),
};

export type Filters = {
  agent?: string[];
  department?: string[];
  model?: string[];
  customer?: string[];
  type?: string[];
  /** Task type keys; (none) = events without a task type. */
  taskType?: string[];
  /** properties.provider values (a built-in dimension); (none) = events without one. */
  provider?: string[];
  /** Promoted dimension name → accepted values. */
  properties: Record<string, string[]>;
};

type Parsed = Record<string, unknown> & { from?: string; to?: string };

/** Unknown parameters are errors (a typo must not silently widen a query); `property:<name>` filters pass. */
function checkExtraKeys(known: readonly string[]) {
  return (q: Parsed, ctx: z.RefinementCtx) => {
    for (const key of Object.keys(q)) {
      if (known.includes(key)) continue;
      if (key.startsWith(PROPERTY_PREFIX) && DIMENSION_NAME.test(key.slice(PROPERTY_PREFIX.length))) continue;
      ctx.addIssue({ code: "custom", path: [key], message: "unknown parameter" });
    }
  };
}

function toFilters(q: Record<string, unknown>): Filters {
  const properties: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(q)) {
    if (!key.startsWith(PROPERTY_PREFIX) || typeof value !== "string") continue;
    const values = value.split(",").map((v) => v.trim()).filter(Boolean);
    if (values.length) properties[key.slice(PROPERTY_PREFIX.length)] = values;
  }
  const f = q as Partial<Record<keyof typeof filterFields, string[]>>;
  return { agent: f.agent, department: f.department, model: f.model, customer: f.customer, type: f.type, taskType: f.taskType, provider: f.provider, properties };
}

/** The plain parameter object (for the OpenAPI document; `property:<name>` filters come on top). */
export function dashboardParams<E extends z.ZodRawShape>(extra: E) {
  return z.object({ ...rangeFields, ...filterFields, ...extra });
}

/** Builds a query schema: date range + global filters + `extra` fields, normalized to `{ from, to, filters, ...extra }`. */
function dashboardQuery<E extends z.ZodRawShape>(extra: E, check?: (q: Parsed, ctx: z.RefinementCtx) => void) {
  const shape = { ...rangeFields, ...filterFields, ...extra };
  return z
    .object(shape)
    .catchall(z.string().max(2000))
    .superRefine((raw, ctx) => {
      const q = raw as Parsed; // generic over `extra`, so TypeScript cannot see from/to itself
      checkRange(q, ctx);
      checkExtraKeys(Object.keys(shape))(q, ctx);
      check?.(q, ctx);
    })
    .transform((raw) => {
      const q = raw as Parsed;
      const rest: Record<string, unknown> = {};
      for (const key of Object.keys(extra)) rest[key] = q[key];
      return { from: q.from, to: q.to, filters: toFilters(q), ...(rest as { [K in keyof E]: z.output<E[K]> }) };
    });
}

export const granularities = ["hour", "day", "week", "month"] as const;
export type Granularity = (typeof granularities)[number];
/** The range limit of a usage query: hourly series get a shorter one (see lib/api/limits.ts). */
export function usageRangeLimit(granularity: Granularity | undefined): RangeLimit {
  return granularity === "hour" ? { maxDays: MAX_HOURLY_DAYS, field: "granularity", reason: "hour granularity" } : {};
}

export const usageGroupBys = ["none", "department", "agent", "model", "customer", "type", "provider"] as const;
const usageGroupBy = z
  .string()
  .refine(
    (g) => (usageGroupBys as readonly string[]).includes(g) || (g.startsWith(PROPERTY_PREFIX) && DIMENSION_NAME.test(g.slice(PROPERTY_PREFIX.length))),
    `must be one of ${usageGroupBys.join(", ")} or property:<name>`,
  );
export type UsageGroupBy = (typeof usageGroupBys)[number] | `property:${string}`;

export const usageExtra = {
  granularity: z.enum(granularities).default("day"),
  groupBy: usageGroupBy.default("none").transform((g) => g as UsageGroupBy),
  top: z.coerce.number().int().min(1).max(MAX_SERIES).default(8).meta({ description: `Groups shown (at most ${MAX_SERIES}); the rest are summed as 'Other'` }),
  currency: displayCurrencyParam,
};
export const usageQuery = dashboardQuery(
  usageExtra,
  (q, ctx) => {
    if (!q.from || !q.to || q.granularity !== "hour") return; // the resolved range is checked again in usage()
    for (const issue of rangeIssues({ from: q.from, to: q.to }, usageRangeLimit("hour"))) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
  },
);
export type UsageQuery = z.output<typeof usageQuery>;

export const workloadGroupBys = ["task_type", "department", "agent"] as const;
export const workloadExtra = {
  groupBy: z.enum(workloadGroupBys).default("task_type"),
  granularity: z.enum(["day", "week", "month"]).default("day"),
};
export const workloadQuery = dashboardQuery(workloadExtra);
export type WorkloadQuery = z.output<typeof workloadQuery>;

export const roiGroupBys = ["agent", "department", "task_type"] as const;
export const roiExtra = { groupBy: z.enum(roiGroupBys).default("agent") };
export const roiQuery = dashboardQuery(roiExtra);
export type RoiQuery = z.output<typeof roiQuery>;

export const agentExtra = { granularity: z.enum(["day", "week", "month"]).default("day"), currency: displayCurrencyParam };
export const agentQuery = dashboardQuery(agentExtra);
export type AgentQuery = z.output<typeof agentQuery>;

export const agentEventsQuery = z
  .strictObject({
    ...rangeFields,
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Opaque keyset cursor from the previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
  })
  .superRefine(checkRange);

export const eventsExtra = {
  handledBy: z.enum(["agent", "human"]).optional().meta({ description: "Only tasks handled by agents or by humans" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque keyset cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
};
export const eventsQuery = dashboardQuery(eventsExtra);
export type EventsQuery = z.output<typeof eventsQuery>;

/** PATCH /api/v1/roi/assumptions/{taskType}: at least one of the two baselines. */
export const baselinePatch = z
  .strictObject({ baselineMinutes: decimalInput(COLUMNS.minutes).optional(), loadedHourlyCost: decimalInput(COLUMNS.hourlyCost).optional() })
  .refine((b) => b.baselineMinutes !== undefined || b.loadedHourlyCost !== undefined, { message: "give baselineMinutes or loadedHourlyCost" });

export const dimensionBody = z.strictObject({ name: dimensionName });

// ---- responses ----
const money = z.string().meta({ description: "Exact decimal string in the organization currency" });
const metrics = z.strictObject({
  events: z.number(),
  quantity: z.number(),
  cost: money.meta({ description: "Exact decimal string in the response's `currency`: with a display currency, the converted days' sum, each bucket rounded to its minor unit" }),
  orgCost: money.optional().meta({ description: "With a display currency: the same cost in the organization currency (converted days and not)" }),
  unconverted: money.optional().meta({ description: "With a display currency: the organization-currency cost of days with no usable rate, not in `cost`" }),
});
const usageConversion = z
  .strictObject({
    ...conversionFields,
    buckets: z
      .array(z.strictObject({ start: z.string(), rateDates, missingDays: z.array(dayString) }))
      .meta({ description: "Per bucket of the current range (as the points): the rate dates used and the days left unconverted" }),
  })
  .nullable();

export const usageResponse = z.strictObject({
  currency: z.string().meta({ description: "The currency of every `cost`: the display currency asked for, else the organization currency" }),
  orgCurrency: z.string(),
  conversion: usageConversion.meta({ description: "How costs were converted into a display currency; null when shown in the organization currency" }),
  timeZone: z.string(),
  from: dayString,
  to: dayString,
  granularity: z.enum(granularities),
  groupBy: z.string(),
  series: z.array(
    z.strictObject({
      key: z.string().meta({ description: "Group key to filter by; '__other__' for the sum of groups outside the top N" }),
      label: z.string(),
      totals: metrics,
      previous: metrics,
      points: z.array(metrics.extend({ start: z.string().meta({ description: "ISO 8601 local start of the bucket, with offset" }) })),
    }),
  ),
  totals: metrics,
  other: z
    .strictObject({
      groups: z.number().meta({ description: "How many groups 'Other' sums" }),
      members: z.array(z.strictObject({ key: z.string(), label: z.string(), totals: metrics, previous: metrics })).meta({ description: "Its largest members by cost (at most 50), with their totals" }),
    })
    .nullable()
    .meta({ description: "What the '__other__' series is made of; null when every group has its own series" }),
  unpriced: unpricedSummary.meta({ description: "What the cost totals leave out: events (and their tokens) with token usage but no reported cost and no matching price" }),
  previous: z.strictObject({ from: dayString, to: dayString, totals: metrics, points: z.array(metrics.extend({ start: z.string() })) }),
});
export type UsageResponse = z.infer<typeof usageResponse>;

const workloadMetrics = {
  agentTasks: z.number(),
  humanTasks: z.number(),
  agentShare: z.number().nullable(),
  agentCostPerTask: money.nullable().meta({ description: "Cost per task: all agent cost in the group ÷ agent tasks (any outcome), as on the agent page" }),
  taskLinkedCostPerTask: money.nullable().meta({ description: "Only the cost of events carrying a task type (not handled by a human) ÷ agent tasks" }),
  humanCostPerTask: money.nullable(),
  agentAvgSeconds: z.number().nullable(),
  humanAvgSeconds: z.number().nullable(),
  escalations: z.number().meta({ description: "Agent tasks handed to a human (task status escalated)" }),
  escalationRate: z.number().nullable().meta({ description: "Escalations ÷ agent tasks (any outcome), as on the agent page; null without an agent task" }),
};
export const workloadResponse = z.strictObject({
  currency: z.string(),
  from: dayString,
  to: dayString,
  groupBy: z.enum(workloadGroupBys),
  granularity: z.enum(["day", "week", "month"]),
  rows: z.array(z.strictObject({ key: z.string(), label: z.string(), ...workloadMetrics })),
  totals: z.strictObject(workloadMetrics),
  series: z.array(z.strictObject({ start: z.string(), agentTasks: z.number(), humanTasks: z.number(), escalations: z.number() })),
});
export type WorkloadResponse = z.infer<typeof workloadResponse>;

const roiMetrics = {
  tasks: z.number().meta({ description: "Completed agent tasks" }),
  hoursSaved: z.string(),
  value: money,
  cost: money,
  net: money,
  roi: z.number().nullable().meta({ description: "(value − cost) ÷ cost; null when cost is 0" }),
  costPerTask: money.nullable().meta({ description: "Cost ÷ tasks agents handled (any outcome); null without a task" }),
  paybackDays: z.number().nullable().meta({ description: "Days of value needed to cover the period's cost; null when value is 0" }),
};
export const assumptionSchema = z.strictObject({ taskType: z.string(), name: z.string(), baselineMinutes: z.string(), loadedHourlyCost: z.string(), updatedAt: z.string() });
export const roiResponse = z.strictObject({
  currency: z.string(),
  from: dayString,
  to: dayString,
  groupBy: z.enum(roiGroupBys),
  rows: z.array(z.strictObject({ key: z.string(), label: z.string(), ...roiMetrics })),
  totals: z.strictObject(roiMetrics),
  assumptions: z.array(assumptionSchema),
  method: z.array(z.string()),
});
export type RoiResponse = z.infer<typeof roiResponse>;

const agentTotalsSchema = z.strictObject({
  events: z.number(),
  cost: money,
  tasks: z.number().meta({ description: "Tasks the agent handled (any outcome)" }),
  completed: z.number(),
  escalated: z.number(),
  failed: z.number(),
  successRate: z.number().nullable(),
  escalationRate: z.number().nullable(),
  costPerTask: money.nullable().meta({ description: "All of the agent's cost ÷ tasks" }),
  orgCost: money.optional().meta({ description: "With a display currency: the cost in the organization currency" }),
  unconverted: money.optional().meta({ description: "With a display currency: the organization-currency cost of days with no usable rate, not in `cost`" }),
});
const agentCostRow = { cost: money, orgCost: money.optional(), rateDates: rateDates.optional().meta({ description: "With a display currency: the oldest and newest rate date the row was converted at" }) };
export const agentDetailResponse = z.strictObject({
  currency: z.string().meta({ description: "The currency of every `cost`: the display currency asked for, else the organization currency" }),
  orgCurrency: z.string(),
  conversion: z.strictObject(conversionFields).nullable().meta({ description: "How costs were converted into the display currency; null in the organization currency" }),
  timeZone: z.string().meta({ description: "The organization's time zone: days, buckets and event times follow it" }),
  from: dayString,
  to: dayString,
  granularity: z.enum(["day", "week", "month"]),
  agent: z.strictObject({
    key: z.string(),
    name: z.string(),
    platform: z.string(),
    model: z.string().nullable(),
    status: z.string(),
    shared: z.boolean(),
    tags: z.array(z.string()),
    department: z.strictObject({ key: z.string(), name: z.string() }).nullable(),
  }),
  totals: agentTotalsSchema,
  previous: z.strictObject({ from: dayString, to: dayString, totals: agentTotalsSchema }),
  series: z.array(z.strictObject({ start: z.string(), ...agentCostRow, unconverted: money.optional(), events: z.number(), tasks: z.number() })),
  models: z.array(z.strictObject({ model: z.string(), events: z.number(), ...agentCostRow, tokens: z.number() })),
  departments: z.array(z.strictObject({ key: z.string(), name: z.string(), events: z.number(), ...agentCostRow })),
});
export type AgentDetailResponse = z.infer<typeof agentDetailResponse>;

export const eventSchema = z.strictObject({
  id: z.string(),
  timestamp: z.string(),
  agent: z.string().meta({ description: "The agent's key" }),
  agentName: z.string(),
  type: z.string(),
  department: z.string().nullable(),
  customer: z.string().nullable(),
  model: z.string().nullable(),
  provider: z.string().nullable().meta({ description: "properties.provider: a FOCUS import's ServiceProviderName, OTLP's gen_ai.provider.name" }),
  quantity: z.string(),
  cost: money,
  costSource: z.enum(["reported", "computed", "unpriced", "none"]).meta({ description: "Where the cost came from; unpriced = tokens with no price (cost unknown, counted as 0)" }),
  originalCost: z.string().nullable().meta({ description: "The cost as sent, when sent in another currency than the organization's" }),
  originalCurrency: z.string().nullable(),
  fxRate: z.string().nullable().meta({ description: "1 original currency = fxRate organization currency (40 significant digits), the rate `cost` was converted at" }),
  fxRateDate: dayString.nullable().meta({ description: "The date of that rate" }),
  fxPending: z.boolean().meta({ description: "Sent in another currency with no rate yet: cost 0 until one is entered" }),
  priceId: z.number().nullable().meta({ description: "The model_prices row that computed the cost" }),
  priceRule: z.string().nullable().meta({ description: "Which match rule found the price (alias, normalisation, catalog rule, tier, discount)" }),
  serviceTier: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  taskType: z.string().nullable(),
  handledBy: z.string().nullable(),
  taskStatus: z.string().nullable(),
  durationSeconds: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  source: z.string(),
  key: z.string().meta({ description: "The event's id as its client sent it (unique per source)." }),
  correctionKind: z.enum(["reversal", "correction"]).nullable().meta({ description: "Set on events written by a correction." }),
  correctsEventId: z.string().nullable().meta({ description: "The event this reversal or corrected event corrects." }),
  correctedBy: z
    .strictObject({ kind: z.enum(["reversal", "correction"]), reason: z.string(), reversalEventId: z.string(), correctedEventId: z.string().nullable() })
    .nullable()
    .meta({ description: "Set on an event that was reversed or corrected." }),
});

const nextCursor = z.string().nullable().meta({ description: "Pass as `cursor` for the next (older) page; null on the last page" });

export const agentEventsResponse = z.strictObject({ events: z.array(eventSchema), nextCursor });
export type AgentEventsResponse = z.infer<typeof agentEventsResponse>;

export const eventsResponse = z.strictObject({
  currency: z.string(),
  timeZone: z.string(),
  from: dayString,
  to: dayString,
  totals: metrics.meta({ description: "Every matching event in the range (not just this page); net of reversals" }),
  events: z.array(eventSchema),
  nextCursor,
  rawEventsFrom: z.string().nullable().meta({ description: "Raw events before this instant were removed by the raw event retention: totals include them, the list does not (null: none removed)" }),
});
export type EventsResponse = z.infer<typeof eventsResponse>;

export const dimensionsResponse = z.strictObject({
  dimensions: z.array(z.string()),
  candidates: z.array(z.string()).meta({ description: "Property names seen in recent events that are not dimensions yet" }),
});
export type DimensionsResponse = z.infer<typeof dimensionsResponse>;
