// The budget-check benches' data: 5 departments (a tree), 30 agents, an ingest key and a check key, 36 limits.
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";

export const AGENTS = Array.from({ length: 30 }, (_, i) => `agent-${i}`);

const key = () => "al_bench_" + randomBytes(24).toString("base64url");
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

export async function prepare(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Bench', 'USD', 'Europe/Berlin', now())");
    await c.query(`INSERT INTO departments (id, code, name, parent_id, monthly_budget, updated_at) VALUES
      (1, 'ORG', 'Org', NULL, NULL, now()), (2, 'SUPPORT', 'Support', 1, 50000, now()), (3, 'SALES', 'Sales', 1, 50000, now()),
      (4, 'T1', 'Tier 1', 2, NULL, now()), (5, 'T2', 'Tier 2', 2, NULL, now())`);
    await c.query("INSERT INTO agents (key, name, department_id, updated_at) SELECT k, k, 2 + (i % 4), now() FROM unnest($1::text[]) WITH ORDINALITY AS t(k, i)", [AGENTS]);
    const [ingest, check] = [key(), key()];
    const { rows } = await c.query<{ id: number }>(
      `INSERT INTO api_keys (name, prefix, hash, source, scopes, rate_limit_per_minute, may_create_entities, may_write_finalized) VALUES
       ('ingest', $1, $2, 'bench', '{ingest}', 10000000, true, true), ('check', $3, $4, 'bench-check', '{check}', 100000000, false, false) RETURNING id`,
      [ingest.slice(0, 10), sha(ingest), check.slice(0, 10), sha(check)]);
    await c.query(`INSERT INTO budget_limits (scope, department_id, agent_id, api_key_id, period, soft, hard, fail_mode, updated_at)
      SELECT 'department', id, NULL::int, NULL::int, 'week', 20000, 40000, 'open', now() FROM departments
      UNION ALL SELECT 'agent', NULL, id, NULL, 'day', 300, 500, 'closed', now() FROM agents
      UNION ALL SELECT 'apiKey', NULL, NULL, $1::int, 'month', NULL, 1000000, 'open', now()`, [rows[1]!.id]);
    return { ingest, check };
  } finally {
    await c.end();
  }
}

