-- CreateTable
CREATE TABLE "usage_rollup_daily_customer" (
    "day" DATE NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "agent_id" INTEGER NOT NULL,
    "department_id" INTEGER NOT NULL,
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

    CONSTRAINT "usage_rollup_daily_customer_pkey" PRIMARY KEY ("day","customer_id","agent_id","department_id")
);


-- Backfill from the daily rollup, which is exact: this one is its sum over the keys it drops. In day order, so a
-- range of days sits in few pages (as ingestion and the rollup rebuild write it).
INSERT INTO "usage_rollup_daily_customer"
SELECT day, customer_id, agent_id, department_id,
       sum(events), sum(quantity), sum(cost), sum(reported_cost), sum(computed_cost), sum(input_tokens),
       sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens), sum(reasoning_tokens), sum(duration_seconds),
       sum(unpriced_events), sum(unpriced_input_tokens), sum(unpriced_output_tokens), sum(unpriced_cache_read_tokens),
       sum(unpriced_cache_creation_tokens), sum(unpriced_reasoning_tokens)
FROM "usage_rollup_daily"
GROUP BY day, customer_id, agent_id, department_id
ORDER BY day;

-- A full rollup rebuild (a time zone change in the settings) empties it with the others (see 20261201060000_app_role).
GRANT TRUNCATE ON "usage_rollup_daily_customer" TO agentledger_app;
