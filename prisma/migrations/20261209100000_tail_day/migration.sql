-- The tail stores each row's local day (organization time zone) beside its local hour, so the daily views read it
-- as a column instead of converting every tail row's hour on every read: during a burst the tail holds up to
-- 200,000 rows (lib/rollups/fold-schedule.ts), and the conversion was most of what reading them cost.
ALTER TABLE "usage_rollup_tail" ADD COLUMN "day" DATE;
UPDATE "usage_rollup_tail" SET "day" = ("bucket" AT TIME ZONE coalesce((SELECT time_zone FROM organizations WHERE id = 1), 'UTC'))::date;
ALTER TABLE "usage_rollup_tail" ALTER COLUMN "day" SET NOT NULL;

CREATE OR REPLACE VIEW "usage_rollup_daily" AS
  SELECT day, agent_id, department_id, customer_id, type, model, task_type, handled_by, task_status, dims, events, quantity, cost, reported_cost, computed_cost, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds, unpriced_cache_creation_tokens, unpriced_cache_read_tokens, unpriced_events, unpriced_input_tokens, unpriced_output_tokens, unpriced_reasoning_tokens
  FROM "usage_rollup_daily_folded"
  UNION ALL
  SELECT t.day, t.agent_id, t.department_id, t.customer_id, t.type, t.model, t.task_type, t.handled_by, t.task_status, t.dims, t.events, t.quantity, t.cost, t.reported_cost, t.computed_cost, t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_creation_tokens, t.reasoning_tokens, t.duration_seconds, t.unpriced_cache_creation_tokens, t.unpriced_cache_read_tokens, t.unpriced_events, t.unpriced_input_tokens, t.unpriced_output_tokens, t.unpriced_reasoning_tokens
  FROM "usage_rollup_tail" t;

CREATE OR REPLACE VIEW "usage_rollup_daily_core" AS
  SELECT day, agent_id, department_id, type, model, task_type, handled_by, task_status, events, quantity, cost, reported_cost, computed_cost, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds, unpriced_cache_creation_tokens, unpriced_cache_read_tokens, unpriced_events, unpriced_input_tokens, unpriced_output_tokens, unpriced_reasoning_tokens
  FROM "usage_rollup_daily_core_folded"
  UNION ALL
  SELECT t.day, t.agent_id, t.department_id, t.type, t.model, t.task_type, t.handled_by, t.task_status, t.events, t.quantity, t.cost, t.reported_cost, t.computed_cost, t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_creation_tokens, t.reasoning_tokens, t.duration_seconds, t.unpriced_cache_creation_tokens, t.unpriced_cache_read_tokens, t.unpriced_events, t.unpriced_input_tokens, t.unpriced_output_tokens, t.unpriced_reasoning_tokens
  FROM "usage_rollup_tail" t;

CREATE OR REPLACE VIEW "usage_rollup_daily_customer" AS
  SELECT day, customer_id, agent_id, department_id, events, quantity, cost, reported_cost, computed_cost, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds, unpriced_events, unpriced_input_tokens, unpriced_output_tokens, unpriced_cache_read_tokens, unpriced_cache_creation_tokens, unpriced_reasoning_tokens
  FROM "usage_rollup_daily_customer_folded"
  UNION ALL
  SELECT t.day, t.customer_id, t.agent_id, t.department_id, t.events, t.quantity, t.cost, t.reported_cost, t.computed_cost, t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_creation_tokens, t.reasoning_tokens, t.duration_seconds, t.unpriced_events, t.unpriced_input_tokens, t.unpriced_output_tokens, t.unpriced_cache_read_tokens, t.unpriced_cache_creation_tokens, t.unpriced_reasoning_tokens
  FROM "usage_rollup_tail" t;
