// Response schemas of the retention API (/api/v1/retention*); the setting itself is part of PATCH /api/v1/settings.
import { z } from "zod";

/** The two settings fields (lib/admin/schemas.ts settingsUpdate spreads them). */
export const retentionSettingsInput = {
  rawEventRetentionMonths: z
    .number()
    .int()
    .min(3, "must be at least 3 (months), or null to keep raw events forever")
    .max(1200)
    .nullable()
    .optional()
    .meta({ description: "Raw events of whole months older than this many months (organization time zone) are archived or dropped daily; null keeps them forever. Rollups, invoices and idempotency keys are always kept." }),
  rawEventRetentionMode: z.enum(["drop", "archive"]).optional().meta({ description: "archive: gzip'd CSV files an operator can restore, then drop; drop: drop only." }),
};

const month = z.strictObject({
  month: z.string().meta({ description: "YYYY-MM (UTC month: one partition of usage_events)" }),
  from: z.string(),
  to: z.string(),
  rows: z.number().int(),
  rowsExact: z.boolean().meta({ description: "false: PostgreSQL's estimate (partitions above a million rows)" }),
  bytes: z.number().int().meta({ description: "Disk the month's partition and indexes take" }),
  status: z.enum(["due", "held"]).meta({ description: "held: a draft invoice's period touches the month (heldBy), kept until it is finalized or deleted" }),
  heldBy: z.array(z.number().int()),
});

export const retentionRunSchema = z.strictObject({
  id: z.number().int(),
  month: z.string(),
  mode: z.enum(["drop", "archive"]),
  status: z.enum(["running", "done", "failed", "restored"]),
  rows: z.number().int(),
  bytes: z.number().int().meta({ description: "Bytes of the archive file (0 in drop mode)" }),
  file: z.string().nullable(),
  sha256: z.string().nullable(),
  actor: z.string(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const retentionView = z
  .strictObject({
    months: z.number().int().nullable(),
    mode: z.enum(["drop", "archive"]),
    rawEventsFrom: z.string().nullable().meta({ description: "Raw events before this instant were removed (null: none). Recompute, corrections and the events drill-down reach only later events." }),
    dryRun: z.strictObject({ cutoff: z.string().nullable(), months: z.array(month) }),
    runs: z.array(retentionRunSchema),
  })
  .meta({ id: "Retention", description: "The raw event retention setting, the dry run of the next run (changes nothing), and past runs." });

export const retentionRunRequested = z.strictObject({ jobId: z.string().nullable() }).meta({ id: "RetentionRunRequested" });
