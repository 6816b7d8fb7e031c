// SQL for budget_spend_daily, shared by ingestion, recompute and rollup rebuilds (like lib/rollups/sql.ts).

/** LISTEN/NOTIFY channel: payload "spend" (budget_spend_daily changed) or "config" (limits, tree, agents, keys). */
export const BUDGET_CHANNEL = "agentledger_budget";

/** [day, source, agentId, departmentId (0 = none), cost] as returned by the upsert: the row's new total. */
export type SpendRow = [string, string, number, number, string];

/** Day in the organization's time zone (CTE `org`), as the daily rollups bucket it. */
const key = `(e.timestamp AT TIME ZONE o.time_zone)::date, e.source, e.agent_id, coalesce(e.department_id, 0)`;

/** Adds the cost of usage_events rows in `from` (aliased e) to budget_spend_daily; needs the CTE `org`. */
export const BUDGET_SPEND_UPSERT = (from: string) => `
  INSERT INTO budget_spend_daily AS b (day, source, agent_id, department_id, cost)
  SELECT ${key}, sum(e.cost) FROM ${from} e CROSS JOIN org o
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (day, source, agent_id, department_id) DO UPDATE SET cost = b.cost + EXCLUDED.cost`;

/** The same for changed events: adds the new rows (`upd`) and subtracts the old (`old`). */
export const BUDGET_SPEND_CHANGE = `
  INSERT INTO budget_spend_daily AS b (day, source, agent_id, department_id, cost)
  SELECT d, s, a, dep, sum(c) FROM (
    SELECT ${key}, e.cost FROM upd e CROSS JOIN org o
    UNION ALL SELECT ${key}, -e.cost FROM old e CROSS JOIN org o) x (d, s, a, dep, c)
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (day, source, agent_id, department_id) DO UPDATE SET cost = b.cost + EXCLUDED.cost`;

/** Full rebuild from raw events ($1 = time zone). */
export const BUDGET_SPEND_REBUILD = `
  INSERT INTO budget_spend_daily (day, source, agent_id, department_id, cost)
  SELECT (e.timestamp AT TIME ZONE $1)::date, e.source, e.agent_id, coalesce(e.department_id, 0), sum(e.cost)
  FROM usage_events e GROUP BY 1, 2, 3, 4 ORDER BY 1`;
