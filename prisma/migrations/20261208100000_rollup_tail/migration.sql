-- Ingestion appends each batch's per-hour aggregates to usage_rollup_tail (no index but its key, no upsert, no row
-- lock shared with another batch) instead of upserting five rollups in its statement. The rollup fold
-- (lib/rollups/fold.ts) moves the tail into the rollup tables, now named *_folded. Every reader keeps reading the
-- old names, which become views: the folded rows plus the tail, so any one statement sees each event exactly once
-- (the fold deletes tail rows and adds them to the folded tables in one transaction). The tail's bucket is the
-- local hour (organization time zone), so its local day is the day the daily rollups key it by. A time zone or
-- dimension change rebuilds everything and empties the tail (lib/rollups/rebuild.ts).

ALTER TABLE "usage_rollup_hourly" RENAME TO "usage_rollup_hourly_folded";
ALTER TABLE "usage_rollup_daily" RENAME TO "usage_rollup_daily_folded";
ALTER TABLE "usage_rollup_daily_core" RENAME TO "usage_rollup_daily_core_folded";
ALTER TABLE "usage_rollup_hourly_core" RENAME TO "usage_rollup_hourly_core_folded";
ALTER TABLE "usage_rollup_daily_customer" RENAME TO "usage_rollup_daily_customer_folded";

-- Each view lists its table's columns in the table's own order, so SELECT * reads the same rows as before.

-- Rows of one batch (or one re-costing delta) at the full key per local hour. Deleted by the fold as it folds them:
-- vacuumed often, so scans of the tail stay short.
CREATE TABLE "usage_rollup_tail" (
    "id" BIGSERIAL NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "agent_id" INTEGER NOT NULL,
    "department_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "task_type" TEXT NOT NULL,
    "handled_by" TEXT NOT NULL,
    "task_status" TEXT NOT NULL,
    "dims" JSONB NOT NULL,
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
    "unpriced_events" BIGINT NOT NULL,
    "unpriced_input_tokens" BIGINT NOT NULL,
    "unpriced_output_tokens" BIGINT NOT NULL,
    "unpriced_cache_read_tokens" BIGINT NOT NULL,
    "unpriced_cache_creation_tokens" BIGINT NOT NULL,
    "unpriced_reasoning_tokens" BIGINT NOT NULL,

    CONSTRAINT "usage_rollup_tail_pkey" PRIMARY KEY ("id")
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20000, autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 20000);

GRANT TRUNCATE ON "usage_rollup_tail" TO agentledger_app;

CREATE VIEW "usage_rollup_hourly" AS
  SELECT bucket, agent_id, department_id, customer_id, type, model, task_type, handled_by, task_status, dims, events, quantity, cost, reported_cost, computed_cost, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds, unpriced_cache_creation_tokens, unpriced_cache_read_tokens, unpriced_events, unpriced_input_tokens, unpriced_output_tokens, unpriced_reasoning_tokens
  FROM "usage_rollup_hourly_folded"
  UNION ALL
  SELECT t.bucket, t.agent_id, t.department_id, t.customer_id, t.type, t.model, t.task_type, t.handled_by, t.task_status, t.dims, t.events, t.quantity, t.cost, t.reported_cost, t.computed_cost, t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_creation_tokens, t.reasoning_tokens, t.duration_seconds, t.unpriced_cache_creation_tokens, t.unpriced_cache_read_tokens, t.unpriced_events, t.unpriced_input_tokens, t.unpriced_output_tokens, t.unpriced_reasoning_tokens
  FROM "usage_rollup_tail" t;

CREATE VIEW "usage_rollup_daily" AS
  SELECT day, agent_id, department_id, customer_id, type, model, task_type, handled_by, task_status, dims, events, quantity, cost, reported_cost, computed_cost, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds, unpriced_cache_creation_tokens, unpriced_cache_read_tokens, unpriced_events, unpriced_input_tokens, unpriced_output_tokens, unpriced_reasoning_tokens
  FROM "usage_rollup_daily_folded"
  UNION ALL
  SELECT (t.bucket AT TIME ZONE z.tz)::date, t.agent_id, t.department_id, t.customer_id, t.type, t.model, t.task_type, t.handled_by, t.task_status, t.dims, t.events, t.quantity, t.cost, t.reported_cost, t.computed_cost, t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_creation_tokens, t.reasoning_tokens, t.duration_seconds, t.unpriced_cache_creation_tokens, t.unpriced_cache_read_tokens, t.unpriced_events, t.unpriced_input_tokens, t.unpriced_output_tokens, t.unpriced_reasoning_tokens
  FROM "usage_rollup_tail" t CROSS JOIN (SELECT coalesce((SELECT time_zone FROM organizations WHERE id = 1), 'UTC') AS tz) z;

CREATE VIEW "usage_rollup_daily_core" AS
  SELECT day, agent_id, department_id, type, model, task_type, handled_by, task_status, events, quantity, cost, reported_cost, computed_cost, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds, unpriced_cache_creation_tokens, unpriced_cache_read_tokens, unpriced_events, unpriced_input_tokens, unpriced_output_tokens, unpriced_reasoning_tokens
  FROM "usage_rollup_daily_core_folded"
  UNION ALL
  SELECT (t.bucket AT TIME ZONE z.tz)::date, t.agent_id, t.department_id, t.type, t.model, t.task_type, t.handled_by, t.task_status, t.events, t.quantity, t.cost, t.reported_cost, t.computed_cost, t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_creation_tokens, t.reasoning_tokens, t.duration_seconds, t.unpriced_cache_creation_tokens, t.unpriced_cache_read_tokens, t.unpriced_events, t.unpriced_input_tokens, t.unpriced_output_tokens, t.unpriced_reasoning_tokens
  FROM "usage_rollup_tail" t CROSS JOIN (SELECT coalesce((SELECT time_zone FROM organizations WHERE id = 1), 'UTC') AS tz) z;

CREATE VIEW "usage_rollup_hourly_core" AS
  SELECT bucket, agent_id, department_id, type, model, task_type, handled_by, task_status, events, quantity, cost, reported_cost, computed_cost, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds, unpriced_events, unpriced_input_tokens, unpriced_output_tokens, unpriced_cache_read_tokens, unpriced_cache_creation_tokens, unpriced_reasoning_tokens
  FROM "usage_rollup_hourly_core_folded"
  UNION ALL
  SELECT t.bucket, t.agent_id, t.department_id, t.type, t.model, t.task_type, t.handled_by, t.task_status, t.events, t.quantity, t.cost, t.reported_cost, t.computed_cost, t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_creation_tokens, t.reasoning_tokens, t.duration_seconds, t.unpriced_events, t.unpriced_input_tokens, t.unpriced_output_tokens, t.unpriced_cache_read_tokens, t.unpriced_cache_creation_tokens, t.unpriced_reasoning_tokens
  FROM "usage_rollup_tail" t;

CREATE VIEW "usage_rollup_daily_customer" AS
  SELECT day, customer_id, agent_id, department_id, events, quantity, cost, reported_cost, computed_cost, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds, unpriced_events, unpriced_input_tokens, unpriced_output_tokens, unpriced_cache_read_tokens, unpriced_cache_creation_tokens, unpriced_reasoning_tokens
  FROM "usage_rollup_daily_customer_folded"
  UNION ALL
  SELECT (t.bucket AT TIME ZONE z.tz)::date, t.customer_id, t.agent_id, t.department_id, t.events, t.quantity, t.cost, t.reported_cost, t.computed_cost, t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_creation_tokens, t.reasoning_tokens, t.duration_seconds, t.unpriced_events, t.unpriced_input_tokens, t.unpriced_output_tokens, t.unpriced_cache_read_tokens, t.unpriced_cache_creation_tokens, t.unpriced_reasoning_tokens
  FROM "usage_rollup_tail" t CROSS JOIN (SELECT coalesce((SELECT time_zone FROM organizations WHERE id = 1), 'UTC') AS tz) z;
