// Test data for the dashboard integration tests: a New York organization, a few entities, and deterministic
// raw events around both 2026 DST changes and month/day boundaries, loaded raw and rolled up by rebuildRollups.
import type { Pool } from "pg";
import type { Caller } from "@/lib/auth/caller";
import { rebuildRollups } from "@/lib/rollups/rebuild";

export const TZ = "America/New_York";

export const admin: Caller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };

/** Small deterministic PRNG (mulberry32), so every run inserts the same events. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Instants that sit exactly on local day, month and DST boundaries in New York. */
const EDGES = [
  "2026-02-28T23:59:59.999-05:00",
  "2026-03-01T00:00:00.000-05:00",
  "2026-03-08T01:59:59.999-05:00",
  "2026-03-08T03:00:00.000-04:00",
  "2026-03-09T00:00:00.000-04:00",
  "2026-10-31T23:59:59.999-04:00",
  "2026-11-01T01:30:00.000-04:00", // the first 01:30 …
  "2026-11-01T01:30:00.000-05:00", // … and the repeated one an hour later
  "2026-11-02T00:00:00.000-05:00",
];

export type Ids = { departments: number[]; agents: number[]; customers: number[] };

export async function loadFixtures(pool: Pool, dimensions: string[] = ["tenant"]): Promise<Ids> {
  await pool.query(
    `INSERT INTO organizations (id, name, currency, time_zone, dimensions, updated_at) VALUES (1, 'Test Org', 'USD', $1, $2, now())
     ON CONFLICT (id) DO UPDATE SET time_zone = EXCLUDED.time_zone, dimensions = EXCLUDED.dimensions`,
    [TZ, dimensions],
  );
  const departments = (
    await pool.query<{ id: number }>(
      `INSERT INTO departments (code, name, updated_at) VALUES ('SUP', 'Support', now()), ('FIN', 'Finance', now()) RETURNING id`,
    )
  ).rows.map((r) => r.id);
  const agents = (
    await pool.query<{ id: number }>(
      `INSERT INTO agents (key, name, department_id, updated_at) VALUES ('resolver', 'Resolver', $1, now()), ('triage', 'Triage', $1, now()),
       ('auditor', 'Auditor', $2, now()), ('sandbox', 'Sandbox', NULL, now()) RETURNING id`,
      departments,
    )
  ).rows.map((r) => r.id);
  const customers = (
    await pool.query<{ id: number }>(`INSERT INTO customers (key, name, updated_at) VALUES ('acme', 'Acme', now()), ('globex', 'Globex', now()) RETURNING id`)
  ).rows.map((r) => r.id);
  await pool.query(
    `INSERT INTO task_types (key, name, baseline_minutes, loaded_hourly_cost, updated_at)
     VALUES ('case', 'Case resolved', 12.5, 48.33, now()), ('audit', 'Expense audit', 10, 50, now())`,
  );

  const rand = random(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const windows = [
    [Date.parse("2026-02-20T00:00:00Z"), Date.parse("2026-03-20T00:00:00Z")],
    [Date.parse("2026-10-20T00:00:00Z"), Date.parse("2026-11-12T00:00:00Z")],
  ] as const;
  const cols: Record<string, unknown[]> = {
    key: [], ts: [], type: [], agent: [], dept: [], cust: [], qty: [], cost: [], model: [], input: [], output: [],
    taskType: [], handledBy: [], status: [], duration: [], props: [],
  };
  const n = 3000;
  for (let i = 0; i < n + EDGES.length; i++) {
    const [lo, hi] = pick(windows);
    const ts = i < n ? new Date(lo + Math.floor(rand() * (hi - lo))).toISOString() : EDGES[i - n]!;
    const agentIndex = Math.floor(rand() * agents.length);
    const type = pick(["llm.call", "llm.call", "task.completed", "agent.action"]);
    const task = type === "task.completed";
    const handledBy = task ? pick(["agent", "agent", "human"]) : null;
    const taskType = task || rand() < 0.3 ? (agentIndex === 2 ? "audit" : pick(["case", "case", "unknown_type"])) : null;
    const props: Record<string, string | number> = {};
    if (rand() < 0.7) props.tenant = pick(["t1", "t2", "t3"]);
    if (rand() < 0.5) props.region = pick(["eu", "us"]);
    if (rand() < 0.2) props.score = Math.floor(rand() * 5);
    cols.key!.push(`e${i}`);
    cols.ts!.push(ts);
    cols.type!.push(type);
    cols.agent!.push(agents[agentIndex]);
    // Events may be attributed to a department other than the agent's default, or to none.
    cols.dept!.push(rand() < 0.15 ? null : pick(departments));
    cols.cust!.push(rand() < 0.4 ? null : pick(customers));
    cols.qty!.push((1 + Math.floor(rand() * 5)).toString());
    cols.cost!.push(task && handledBy === "human" ? "0" : (rand() / 10).toFixed(10));
    cols.model!.push(type === "llm.call" ? pick(["gpt-x", "claude-y"]) : null);
    cols.input!.push(Math.floor(rand() * 5000));
    cols.output!.push(Math.floor(rand() * 800));
    cols.taskType!.push(taskType);
    cols.handledBy!.push(handledBy);
    cols.status!.push(task ? pick(["completed", "completed", "completed", "escalated", "failed"]) : null);
    cols.duration!.push(task ? (rand() * 1800).toFixed(3) : null);
    cols.props!.push(JSON.stringify(props));
  }
  await pool.query(
    `INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, customer_id, quantity, reported_cost, cost, model,
       input_tokens, output_tokens, task_type, handled_by, task_status, duration_seconds, properties)
     SELECT 'test', k, ts, ty, a, d, c, q, co, co, m, it, ot, tt, hb, st, du, p::jsonb
     FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int[], $5::int[], $6::int[], $7::numeric[], $8::numeric[], $9::text[],
                 $10::bigint[], $11::bigint[], $12::text[], $13::text[], $14::text[], $15::numeric[], $16::text[])
       AS u(k, ts, ty, a, d, c, q, co, m, it, ot, tt, hb, st, du, p)`,
    Object.values(cols),
  );
  await rebuildRollups(pool);
  return { departments, agents, customers };
}
