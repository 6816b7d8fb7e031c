// /api/v1/imports contract.
import { z } from "zod";

export const ImportQuerySchema = z.strictObject({
  format: z.enum(["csv", "ndjson"]).optional().meta({ description: "Default: from Content-Type (text/csv or application/x-ndjson)." }),
  fileName: z.string().min(1).max(255).default("upload"),
  mapping: z
    .string()
    .optional()
    .meta({ description: 'CSV only: JSON object {"<contract field>": "<CSV column>"}, e.g. {"id":"event_id","cost.amount":"usd"}. Default: columns named like fields.' }),
});

export const ImportJobSchema = z
  .strictObject({
    id: z.number().int(),
    fileName: z.string(),
    format: z.enum(["csv", "ndjson"]),
    status: z.enum(["running", "succeeded", "failed"]),
    rows: z.number().int(),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    errorReportUrl: z.string(),
  })
  .meta({ id: "ImportJob" });

export type ImportJobView = z.infer<typeof ImportJobSchema>;

export const MappingSchema = z.record(z.string().min(1).max(128), z.string().min(1).max(256));
