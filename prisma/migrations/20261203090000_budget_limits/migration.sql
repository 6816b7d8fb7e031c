-- CreateTable
CREATE TABLE "budget_limits" (
    "id" SERIAL NOT NULL,
    "scope" TEXT NOT NULL,
    "department_id" INTEGER,
    "agent_id" INTEGER,
    "api_key_id" INTEGER,
    "period" TEXT NOT NULL,
    "soft" DECIMAL(18,2),
    "hard" DECIMAL(18,2),
    "fail_mode" TEXT NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budget_limits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget_spend_daily" (
    "day" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "agent_id" INTEGER NOT NULL,
    "department_id" INTEGER NOT NULL,
    "cost" DECIMAL(24,10) NOT NULL,

    CONSTRAINT "budget_spend_daily_pkey" PRIMARY KEY ("day","source","agent_id","department_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "budget_limits_scope_department_id_agent_id_api_key_id_perio_key" ON "budget_limits"("scope", "department_id", "agent_id", "api_key_id", "period") NULLS NOT DISTINCT;

-- AddForeignKey
ALTER TABLE "budget_limits" ADD CONSTRAINT "budget_limits_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "budget_limits" ADD CONSTRAINT "budget_limits_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "budget_limits" ADD CONSTRAINT "budget_limits_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- One target per limit, matching its scope, and hard not below soft.
ALTER TABLE "budget_limits" ADD CONSTRAINT "budget_limits_target_check" CHECK (
  (scope = 'department' AND department_id IS NOT NULL AND agent_id IS NULL AND api_key_id IS NULL) OR
  (scope = 'agent' AND agent_id IS NOT NULL AND department_id IS NULL AND api_key_id IS NULL) OR
  (scope = 'apiKey' AND api_key_id IS NOT NULL AND department_id IS NULL AND agent_id IS NULL));
ALTER TABLE "budget_limits" ADD CONSTRAINT "budget_limits_period_check" CHECK (period IN ('day', 'week', 'month'));
ALTER TABLE "budget_limits" ADD CONSTRAINT "budget_limits_fail_mode_check" CHECK (fail_mode IN ('open', 'closed'));
ALTER TABLE "budget_limits" ADD CONSTRAINT "budget_limits_levels_check" CHECK (
  (soft IS NULL OR soft >= 0) AND (hard IS NULL OR hard >= 0) AND (soft IS NULL OR hard IS NULL OR hard >= soft));

-- Spend so far, in the organization's time zone (ingestion, corrections, recompute and rebuilds keep it current).
INSERT INTO budget_spend_daily (day, source, agent_id, department_id, cost)
SELECT (e.timestamp AT TIME ZONE coalesce((SELECT time_zone FROM organizations WHERE id = 1), 'UTC'))::date, e.source,
       e.agent_id, coalesce(e.department_id, 0), sum(e.cost)
FROM usage_events e GROUP BY 1, 2, 3, 4;

-- The rollup rebuild empties it with the rollups.
GRANT TRUNCATE ON "budget_spend_daily" TO agentledger_app;

-- Every app instance caches limits, the department tree, agents' departments and API keys for budget checks: any
-- change to them (through the app or not) tells all instances at commit (lib/budgets/cache.ts)
-- (E'' with \073 for semicolons: the migration engine splits statements at semicolons, see 20261201060000_app_role.)
CREATE FUNCTION budget_config_changed() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''agentledger_budget'', ''config'')\073
  RETURN NULL\073
END';
CREATE TRIGGER budget_limits_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON budget_limits FOR EACH STATEMENT EXECUTE FUNCTION budget_config_changed();
-- Per row: ingestion runs an INSERT into agents for every batch, usually inserting nothing (identical
-- notifications in one transaction are delivered once).
CREATE TRIGGER departments_budget_notify AFTER INSERT OR UPDATE OF parent_id, monthly_budget, code OR DELETE ON departments FOR EACH ROW EXECUTE FUNCTION budget_config_changed();
CREATE TRIGGER agents_budget_notify AFTER INSERT OR UPDATE OF department_id, key OR DELETE ON agents FOR EACH ROW EXECUTE FUNCTION budget_config_changed();
CREATE TRIGGER api_keys_budget_notify AFTER UPDATE OF revoked_at, scopes, source, hash OR DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION budget_config_changed();
CREATE TRIGGER organizations_budget_notify AFTER UPDATE OF time_zone ON organizations FOR EACH STATEMENT EXECUTE FUNCTION budget_config_changed();
