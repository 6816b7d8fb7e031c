-- CreateTable
CREATE TABLE "usage_rollup_daily_core" (
    "day" DATE NOT NULL,
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

    CONSTRAINT "usage_rollup_daily_core_pkey" PRIMARY KEY ("day","agent_id","department_id","type","model","task_type","handled_by","task_status")
);

-- CreateIndex
CREATE INDEX "usage_rollup_daily_core_agent_id_day_idx" ON "usage_rollup_daily_core"("agent_id", "day");


-- Backfill from the daily rollup, which is exact: the core rollup is its sum over customers and dimensions.
INSERT INTO "usage_rollup_daily_core"
SELECT day, agent_id, department_id, type, model, task_type, handled_by, task_status,
       sum(events), sum(quantity), sum(cost), sum(reported_cost), sum(computed_cost), sum(input_tokens),
       sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens), sum(reasoning_tokens), sum(duration_seconds)
FROM "usage_rollup_daily"
GROUP BY day, agent_id, department_id, type, model, task_type, handled_by, task_status;
