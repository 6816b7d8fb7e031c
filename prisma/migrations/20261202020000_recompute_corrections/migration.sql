-- Recompute engine runs and event corrections (lib/recompute, lib/corrections).
-- New usage_events columns have constant defaults or none: a catalog-only change, no table rewrite.
-- No foreign key references usage_events(id) (it becomes a partitioned table with a composite key).

-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN "event_sign" SMALLINT NOT NULL DEFAULT 1,
ADD COLUMN "corrects_event_id" BIGINT,
ADD COLUMN "correction_kind" TEXT;

-- CreateTable
CREATE TABLE "recompute_runs" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "actor_id" INTEGER,
    "range_from" TIMESTAMPTZ(3) NOT NULL,
    "range_to" TIMESTAMPTZ(3) NOT NULL,
    "predicate" JSONB NOT NULL DEFAULT '{}',
    "batch_size" INTEGER NOT NULL DEFAULT 1000,
    "cursor_ts" TIMESTAMPTZ(3),
    "cursor_id" BIGINT,
    "batches_done" INTEGER NOT NULL DEFAULT 0,
    "events_scanned" BIGINT NOT NULL DEFAULT 0,
    "events_changed" BIGINT NOT NULL DEFAULT 0,
    "events_finalized" BIGINT NOT NULL DEFAULT 0,
    "delta" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "recompute_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_corrections" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "original_key" TEXT NOT NULL,
    "original_event_id" BIGINT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "actor_id" INTEGER,
    "reversal_event_id" BIGINT NOT NULL,
    "corrected_event_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_corrections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recompute_runs_created_at_idx" ON "recompute_runs"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "event_corrections_source_original_key_key" ON "event_corrections"("source", "original_key");

-- CreateIndex
CREATE UNIQUE INDEX "event_corrections_source_idempotency_key_key" ON "event_corrections"("source", "idempotency_key");
