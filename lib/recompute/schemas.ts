// Request and response schemas of the recompute API (/api/v1/recompute/*).
import { z } from "zod";
import { KIND_NAMES } from "./kinds";

const keys = z.array(z.string().min(1).max(128)).min(1, "must list at least one value (leave the field out for all)").max(200);
const instant = z.string().datetime({ offset: true, message: "must be an RFC 3339 date-time with an offset, e.g. 2026-11-01T00:00:00Z" });

export const predicateSchema = z
  .strictObject({
    models: keys.optional(),
    agents: keys.optional().meta({ description: "Agent keys." }),
    departments: keys.optional().meta({ description: "Department codes." }),
    sources: keys.optional().meta({ description: "Event sources (API key sources, connectors, imports)." }),
  })
  .meta({ id: "RecomputePredicate", description: "Which events, besides the time range; each list is OR within, AND across." });

const selection = {
  kind: z.enum(KIND_NAMES).meta({ description: "reprice: computed_cost, computed_price_id and cost from the current model prices (reported costs never change); fx: reported_cost and cost of events sent in another currency, at the current FX rates." }),
  from: instant,
  to: instant,
  predicate: predicateSchema.default({}),
};

const rangeOrdered = (value: { from: string; to: string }, ctx: z.RefinementCtx) => {
  if (Date.parse(value.to) <= Date.parse(value.from)) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
};

export const previewBody = z.strictObject(selection).superRefine(rangeOrdered).meta({ id: "RecomputePreviewRequest" });
export const startBody = z
  .strictObject({
    ...selection,
    reason: z.string().trim().min(1, "required: say why (it is audited)").max(500),
    batchSize: z.number().int().min(1).max(10_000).optional().meta({ description: "Events per transaction; default 1000." }),
  })
  .superRefine(rangeOrdered)
  .meta({ id: "RecomputeStartRequest" });

const money = z.string().regex(/^-?\d+(\.\d+)?$/);
export const deltaSchema = z.strictObject({
  total: money,
  byDepartment: z.record(z.string(), money),
  byCustomer: z.record(z.string(), money),
});

export const previewResponse = z
  .strictObject({ scanned: z.number().int(), changed: z.number().int(), finalized: z.number().int(), delta: deltaSchema })
  .meta({ id: "RecomputePreview", description: "Events scanned and changed, how many lie in finalized invoice periods, and the cost delta." });

export const runSchema = z
  .strictObject({
    id: z.number().int(),
    kind: z.string(),
    status: z.enum(["pending", "running", "done", "failed"]),
    reason: z.string(),
    actor: z.string(),
    rangeFrom: z.string(),
    rangeTo: z.string(),
    predicate: z.unknown(),
    batchSize: z.number().int(),
    batchesDone: z.number().int(),
    eventsScanned: z.number().int(),
    eventsChanged: z.number().int(),
    eventsFinalized: z.number().int(),
    delta: z.unknown(),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: "RecomputeRun" });

export const runIdParam = z.string().regex(/^\d{1,9}$/, "must be a run id");
