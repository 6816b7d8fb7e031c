-- CreateTable
CREATE TABLE "usage_rollup_hourly_core" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "agent_id" INTEGER NOT NULL,
    "department_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "task_type" TEXT NOT NULL,
    "handled_by" TEXT NOT NULL,
    "task_status" TEXT NOT NULL,
    "events" BIGINT NOT NULL,
    "quantity" DECIMAL(28,6) NOT NULL,
    "cost" DECIMAL(28,10) NOT NULL,
    "reported_cost" DECIMAL(28,10) NOT NULL,
    "computed_cost" DECIMAL(28,10) NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "cache_read_tokens" BIGINT NOT NULL,
    "cache_creation_tokens" BIGINT NOT NULL,
    "reasoning_tokens" BIGINT NOT NULL,
    "duration_seconds" DECIMAL(20,3) NOT NULL,
    "unpriced_events" BIGINT NOT NULL DEFAULT 0,
    "unpriced_input_tokens" BIGINT NOT NULL DEFAULT 0,
    "unpriced_output_tokens" BIGINT NOT NULL DEFAULT 0,
    "unpriced_cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
    "unpriced_cache_creation_tokens" BIGINT NOT NULL DEFAULT 0,
    "unpriced_reasoning_tokens" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollup_hourly_core_pkey" PRIMARY KEY ("bucket","agent_id","department_id","type","model","task_type","handled_by","task_status")
);

-- CreateIndex
CREATE INDEX "usage_rollup_daily_customer_id_day_idx" ON "usage_rollup_daily"("customer_id", "day");


-- Backfill from the hourly rollup, which is exact: the core one is its sum over customers and dimensions.
INSERT INTO "usage_rollup_hourly_core"
SELECT bucket, agent_id, department_id, type, model, task_type, handled_by, task_status,
       sum(events), sum(quantity), sum(cost), sum(reported_cost), sum(computed_cost), sum(input_tokens),
       sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens), sum(reasoning_tokens), sum(duration_seconds),
       sum(unpriced_events), sum(unpriced_input_tokens), sum(unpriced_output_tokens), sum(unpriced_cache_read_tokens),
       sum(unpriced_cache_creation_tokens), sum(unpriced_reasoning_tokens)
FROM "usage_rollup_hourly"
GROUP BY bucket, agent_id, department_id, type, model, task_type, handled_by, task_status;

-- A full rollup rebuild (a time zone change in the settings) empties it with the others (see 20261201060000_app_role).
GRANT TRUNCATE ON "usage_rollup_hourly_core" TO agentledger_app;
