// Request and response schemas of the pricing APIs (unpriced usage, aliases, discounts, catalog updates). Pure zod.
import { z } from "zod";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";
import { previewResponse } from "@/lib/recompute/schemas";

const unpricedTokens = z.strictObject({ input: z.number(), output: z.number(), cache_read: z.number(), cache_creation: z.number(), reasoning: z.number() });
export const unpricedSummary = z.strictObject({
  events: z.number().meta({ description: "Events with token usage that have no reported cost and no matching price (their cost counts as 0)" }),
  tokens: z.number().meta({ description: "All tokens of those events" }),
});
export type UnpricedSummary = z.infer<typeof unpricedSummary>;
export const unpricedResponse = z.strictObject({
  from: z.string(),
  to: z.string(),
  models: z.array(
    z.strictObject({
      model: z.string().meta({ description: "The model id as events sent it ('' = none given)" }),
      provider: z.string().nullable().meta({ description: "Provider guessed from the id (prefix or catalog rule); null if unknown" }),
      events: z.number(),
      tokens: unpricedTokens,
    }),
  ),
});
export type UnpricedResponse = z.infer<typeof unpricedResponse>;
const isoDateTime = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z" });
const modelName = z.string().trim().min(1, "Required").max(128);
const provider = z.string().trim().min(1, "Required").max(64);

export const aliasCreate = z.strictObject({
  alias: modelName.meta({ description: "The id events send (e.g. an Azure deployment name); matched case-insensitively" }),
  model: modelName.meta({ description: "The model it stands for, as priced (a catalog model id or one of your own)" }),
  provider: provider.nullable().optional().meta({ description: "Price at this provider (e.g. azure); empty = the model's own" }),
});

export const discountCreate = z
  .strictObject({
    provider,
    model: modelName.nullable().optional().meta({ description: "A catalog model id; empty = every model of the provider" }),
    percent: decimalInput(COLUMNS.percent, { max: 100 }).meta({ description: "Percent off the catalog price, 0–100, up to 4 decimals" }),
    effectiveFrom: isoDateTime,
    effectiveTo: isoDateTime.nullable().optional(),
    note: z.string().trim().max(200).nullable().optional(),
  })
  .refine((v) => !v.effectiveTo || new Date(v.effectiveTo) > new Date(v.effectiveFrom), { message: "Must be after the start", path: ["effectiveTo"] });

const expect = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "The hash from the preview")
  .optional()
  .meta({ description: "Apply only: the preview's hash; the update is refused (409) if the catalog or the price table changed since" });
export const catalogSource = z.discriminatedUnion("source", [
  z.strictObject({ source: z.literal("package").meta({ description: "The catalog bundled with the installed (pinned) package" }), expect }),
  z.strictObject({
    source: z.literal("file"),
    expect,
    version: z.string().trim().min(1).max(64).meta({ description: "A label for this catalog (e.g. the data file's date)" }),
    catalog: z.array(z.record(z.string(), z.unknown())).min(1).meta({ description: "The catalog file (genai-prices data.json format: an array of providers)" }),
  }),
]);

export const pricesQuery = z.strictObject({
  search: z.string().trim().max(128).optional(),
  provider: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const recostApply = z
  .strictObject({
    changes: z.array(z.number().int().positive()).min(1, "List at least one price change id").max(500).meta({ description: "Pending price change ids (from GET /api/v1/pricing/recost)" }),
    reason: z.string().trim().min(1, "Required: say why (it is audited)").max(500),
  })
  .meta({ id: "RecostApplyRequest" });

const recostScope = z
  .strictObject({ from: z.string(), to: z.string(), predicate: z.strictObject({ models: z.array(z.string()).optional() }) })
  .nullable()
  .meta({ description: "The run's selection: range and the model ids events carry (no list = every model); null = no stored event affected" });
export const recostPendingResponse = z
  .strictObject({
    changes: z.array(
      z.strictObject({
        id: z.number().int(),
        kind: z.string(),
        models: z.array(z.string()),
        allModels: z.boolean(),
        provider: z.string().nullable(),
        rangeFrom: z.string(),
        rangeTo: z.string().nullable(),
        actor: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    scope: recostScope,
    preview: previewResponse.nullable(),
  })
  .meta({ id: "RecostPending" });
export const recostApplied = z
  .strictObject({ runId: z.number().int().nullable(), changes: z.array(z.number().int()), scope: recostScope })
  .meta({ id: "RecostApplied" });
