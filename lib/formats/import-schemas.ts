// /api/v1/imports contract.
import { z } from "zod";

export const ImportQuerySchema = z.strictObject({
  format: z
    .enum(["csv", "ndjson", "focus"])
    .optional()
    .meta({ description: "Default: from Content-Type (text/csv or application/x-ndjson). `focus`: a cloud billing export in FOCUS 1.0–1.3 (CSV, gzip CSV or Parquet, recognised from the bytes), imported by a background job (202)." }),
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
    format: z.enum(["csv", "ndjson", "focus"]),
    status: z.enum(["queued", "running", "succeeded", "failed"]),
    rows: z.number().int(),
    accepted: z.number().int().meta({ description: "Events stored (FOCUS: a row spread over several days is several events)." }),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    skipped: z.number().int().meta({ description: "FOCUS: rows the AI row filter left out." }),
    reversed: z.number().int().meta({ description: "FOCUS: earlier events reversed because this export restated their billing period." }),
    bytesTotal: z.number().int(),
    bytesRead: z.number().int().meta({ description: "FOCUS: progress through the upload (bytesTotal)." }),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    errorReportUrl: z.string(),
  })
  .meta({ id: "ImportJob" });

export type ImportJobView = z.infer<typeof ImportJobSchema>;

export const MappingSchema = z.record(z.string().min(1).max(128), z.string().min(1).max(256));
