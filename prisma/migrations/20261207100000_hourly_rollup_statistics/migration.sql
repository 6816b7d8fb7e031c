-- Usage by hour groups the hourly rollups by (bucket, one key). Without multi-column statistics the planner takes
-- the columns as independent, expects ~10× the real number of groups and sorts instead of hashing (a 7-day
-- department-by-hour read at 10M events: 35 ms with a sort, 16 ms hashed). Not modelled by Prisma (no drift).
CREATE STATISTICS IF NOT EXISTS usage_rollup_hourly_core_groups (ndistinct) ON bucket, agent_id, department_id, type, model FROM usage_rollup_hourly_core;
CREATE STATISTICS IF NOT EXISTS usage_rollup_hourly_groups (ndistinct) ON bucket, agent_id, department_id, customer_id, model FROM usage_rollup_hourly;
ANALYZE usage_rollup_hourly_core;
ANALYZE usage_rollup_hourly;
