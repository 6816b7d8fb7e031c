// /api/v1/connectors contract. The provider key is write-only: responses say only whether one is set.
import { z } from "zod";
import { outboundUrlSchema } from "@/lib/net/outbound";

const provider = z.enum(["openai", "anthropic"]);
const dataset = z.enum(["usage", "costs"]).meta({ description: "usage: token counts (cost from the model price table); costs: the provider's billed amounts. Pick one per provider, or both counts cost twice." });

export const ConnectorCreateSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    provider,
    dataset,
    baseUrl: outboundUrlSchema().optional().meta({ description: "Default: the provider's public API." }),
    apiKey: z.string().min(1).max(500).meta({ description: "Admin key of the provider organization; stored encrypted." }),
    agentKey: z.string().min(1).max(128).optional().meta({ description: "Agent the usage is booked to; default `<provider>-org`." }),
    departmentCode: z.string().min(1).max(128).nullable().optional(),
    intervalMinutes: z.number().int().min(5).max(10_080).default(60),
    backfillDays: z.number().int().min(1).max(365).default(30),
    enabled: z.boolean().default(true),
  })
  .meta({ id: "ConnectorCreate" });

export const ConnectorUpdateSchema = ConnectorCreateSchema.omit({ provider: true, dataset: true })
  .partial()
  .extend({ intervalMinutes: z.number().int().min(5).max(10_080).optional(), backfillDays: z.number().int().min(1).max(365).optional(), enabled: z.boolean().optional() })
  .meta({ id: "ConnectorUpdate" });

export const ConnectorRunSchema = z
  .strictObject({
    id: z.number().int(),
    status: z.enum(["running", "succeeded", "failed"]),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    pages: z.number().int(),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: "ConnectorRun" });

export const ConnectorSchema = z
  .strictObject({
    id: z.number().int(),
    name: z.string(),
    provider,
    dataset,
    baseUrl: z.string(),
    apiKeySet: z.boolean(),
    agentKey: z.string(),
    departmentCode: z.string().nullable(),
    intervalMinutes: z.number().int(),
    backfillDays: z.number().int(),
    enabled: z.boolean(),
    checkpoint: z.string().nullable().meta({ description: "End of the last fully imported bucket." }),
    nextRunAt: z.string(),
    lastRun: ConnectorRunSchema.nullable(),
  })
  .meta({ id: "Connector" });

export type ConnectorCreate = z.infer<typeof ConnectorCreateSchema>;
export type ConnectorUpdate = z.infer<typeof ConnectorUpdateSchema>;
export type ConnectorView = z.infer<typeof ConnectorSchema>;
export type ConnectorRunView = z.infer<typeof ConnectorRunSchema>;
