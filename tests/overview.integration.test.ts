// Overview numbers (from rollups) against an independent computation over raw events, in a non-UTC
// time zone across a DST change, for an unscoped and a department-scoped user.
import { beforeAll, describe, expect, test } from "vitest";
import Decimal from "decimal.js";
import { pool } from "@/lib/db";
import { overview } from "@/lib/analytics/overview";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import type { UserCaller } from "@/lib/auth/caller";

const TZ = "America/New_York";
const TODAY = "2026-03-20";
const admin: UserCaller = { kind: "user", id: 1, email: "a@test", name: "A", role: "admin", departmentIds: null };

let support = 0;
let sales = 0;

/** Deterministic PRNG so a failure reproduces. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', $1, now())", [TZ]);
  const d = await pool.query<{ id: number }>(
    "INSERT INTO departments (code, name, updated_at) VALUES ('SUPPORT', 'Support', now()), ('SALES', 'Sales', now()) RETURNING id",
  );
  support = d.rows[0]!.id;
  sales = d.rows[1]!.id;
  const a = await pool.query<{ id: number }>(
    `INSERT INTO agents (key, name, department_id, updated_at) VALUES
     ('triage', 'Triage bot', $1, now()), ('closer', 'Deal closer', $2, now()), ('stray', 'Stray', NULL, now()) RETURNING id`,
    [support, sales],
  );
  const agents = [
    { id: a.rows[0]!.id, dept: support },
    { id: a.rows[1]!.id, dept: sales },
    { id: a.rows[2]!.id, dept: null },
  ];
  // 2026-03-08 is the spring-forward day in New York; events straddle local midnights around it.
  const random = mulberry32(7);
  const start = Date.parse("2026-03-01T00:00:00Z");
  const rows: unknown[][] = [];
  for (let i = 0; i < 1500; i++) {
    const agent = agents[Math.floor(random() * agents.length)]!;
    const at = new Date(start + Math.floor(random() * 16 * 86_400_000));
    const cost = (random() * 3).toFixed(10);
    rows.push([`e${i}`, at.toISOString(), agent.id, agent.dept, cost]);
  }
  for (const [key, at, agentId, dept, cost] of rows) {
    await pool.query(
      `INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, reported_cost)
       VALUES ('t', $1, $2, 'agent.action', $3, $4, $5, $5)`,
      [key, at, agentId, dept, cost],
    );
  }
  await rebuildRollups(pool);
});

async function rawTotals(from: string, to: string, departmentIds: number[] | null) {
  const { rows } = await pool.query<{ cost: string; events: string; agents: string }>(
    `SELECT coalesce(sum(cost), 0)::text AS cost, count(*)::text AS events, count(DISTINCT agent_id)::text AS agents
     FROM usage_events WHERE (timestamp AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date
       AND ($4::int[] IS NULL OR department_id = ANY($4::int[]))`,
    [TZ, from, to, departmentIds],
  );
  return rows[0]!;
}

describe("overview", () => {
  for (const range of [
    { from: "2026-03-07", to: "2026-03-09" },
    { from: "2026-03-08", to: "2026-03-08" },
    { from: "2026-03-01", to: "2026-03-16" },
  ]) {
    test(`totals for ${range.from}..${range.to} equal raw events`, async () => {
      const result = await overview(admin, range, TODAY);
      const raw = await rawTotals(range.from, range.to, null);
      expect(new Decimal(result.current.cost).eq(raw.cost)).toBe(true);
      expect(result.current.events).toBe(Number(raw.events));
      expect(result.current.activeAgents).toBe(Number(raw.agents));
      const daySum = result.daily.reduce((s, d) => s.plus(d.cost), new Decimal(0));
      expect(daySum.eq(raw.cost)).toBe(true);
    });
  }

  test("each daily bar equals that local day's raw cost", async () => {
    const result = await overview(admin, { from: "2026-03-06", to: "2026-03-10" }, TODAY);
    for (const day of result.daily) {
      const raw = await rawTotals(day.day, day.day, null);
      expect(new Decimal(day.cost).eq(raw.cost), day.day).toBe(true);
    }
  });

  test("a department-scoped user sees only that department", async () => {
    const scoped: UserCaller = { ...admin, role: "viewer", departmentIds: [support] };
    const range = { from: "2026-03-01", to: "2026-03-16" };
    const result = await overview(scoped, range, TODAY);
    const raw = await rawTotals(range.from, range.to, [support]);
    expect(new Decimal(result.current.cost).eq(raw.cost)).toBe(true);
    expect(result.topDepartments.map((d) => d.id)).toEqual([support]);
    expect(result.topAgents.every((a) => a.key === "triage")).toBe(true);
    expect(sales).toBeGreaterThan(0);
  });

  test("previous period is the equal-length range just before", async () => {
    const result = await overview(admin, { from: "2026-03-09", to: "2026-03-16" }, TODAY);
    expect(result.previous).toEqual({ from: "2026-03-01", to: "2026-03-08" });
    const raw = await rawTotals("2026-03-01", "2026-03-08", null);
    expect(new Decimal(result.prior.cost).eq(raw.cost)).toBe(true);
  });
});
