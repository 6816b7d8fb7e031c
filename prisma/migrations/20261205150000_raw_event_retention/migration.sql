-- Raw event retention (lib/retention, docs/retention.md): per organization, how many months of raw events to keep
-- (null = forever) and whether months past that are archived to files first or dropped, and one row per month a
-- retention run archived and/or dropped. Rollups, invoices and usage_event_keys are never touched by retention.
ALTER TABLE "organizations" ADD COLUMN "raw_event_retention_months" INTEGER,
  ADD COLUMN "raw_event_retention_mode" TEXT NOT NULL DEFAULT 'archive',
  ADD CONSTRAINT "organizations_raw_event_retention_months_check" CHECK ("raw_event_retention_months" IS NULL OR "raw_event_retention_months" >= 3),
  ADD CONSTRAINT "organizations_raw_event_retention_mode_check" CHECK ("raw_event_retention_mode" IN ('drop', 'archive'));

CREATE TABLE "retention_runs" (
    "id" SERIAL NOT NULL,
    -- The UTC month (its first day) whose partition the run archived and dropped.
    "month" DATE NOT NULL,
    "mode" TEXT NOT NULL,
    -- running -> done | failed, then done -> restored when an operator loaded the archive back.
    "status" TEXT NOT NULL DEFAULT 'running',
    "rows" BIGINT NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "file" TEXT,
    "sha256" TEXT,
    "actor" TEXT NOT NULL,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "retention_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "retention_runs_mode_check" CHECK ("mode" IN ('drop', 'archive')),
    CONSTRAINT "retention_runs_status_check" CHECK ("status" IN ('running', 'done', 'failed', 'restored'))
);

-- A month is dropped at most once at a time (a restore frees it again).
CREATE UNIQUE INDEX "retention_runs_month_active_key" ON "retention_runs"("month") WHERE "status" IN ('running', 'done');
CREATE INDEX "retention_runs_started_at_idx" ON "retention_runs"("started_at");
