// Budget checks against real PostgreSQL: the tightest nested limit wins, a crossing under concurrent ingestion flips
// the answer with the batch that crosses, two instances (two caches, each with its own LISTEN connection) agree,
// periods reset at local midnight on a daylight-saving day, revocation reaches cached key lookups, crossings are
// audited and alerted once. Expected spend is recomputed from raw usage_events, not from the cache's table.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeApiKey } from "@/lib/admin/api-keys";
import { createApiKey } from "@/lib/auth/api-keys";
import type { ApiKeyCaller, UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { ingestEvents } from "@/lib/ingest/ingest";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { BudgetCache } from "./cache";
import { checkBudget } from "./check";
import { budgetCache, budgetCheckCaller, runBudgetCheck } from "./service";
import { budgetUseFor } from "./use";

const TZ = "America/New_York";
let other: BudgetCache;
let otherPool: pg.Pool;
let caller: ApiKeyCaller;
let keySecret: string;
const admin = { kind: "user", id: 1, email: "admin@budget.test", name: "Admin", role: "admin", departmentIds: null } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
const ev = (agent: string, cost: string, extra: Record<string, unknown> = {}) => ({
  id: `b-${++seq}`, timestamp: new Date().toISOString(), agent, type: "llm.call", cost: { amount: cost, currency: "USD" }, ...extra,
});

/** Direct cost since `from` (an instant) from raw events: the independent figure. */
async function rawSpend(where: string, params: unknown[]): Promise<string> {
  const { rows } = await pool.query<{ s: string }>(`SELECT coalesce(sum(cost), 0)::numeric(20,2)::text AS s FROM usage_events WHERE ${where}`, params);
  return rows[0]!.s;
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Budget Org', 'USD', $1, now())", [TZ]);
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@budget.test', 'Admin', 'admin', now())");
  await pool.query(`INSERT INTO departments (id, code, name, parent_id, monthly_budget, updated_at) VALUES
    (1, 'OPS', 'Operations', NULL, NULL, now()), (2, 'SUPPORT', 'Support', 1, 500, now()), (3, 'TIER1', 'Tier 1', 2, NULL, now()),
    (4, 'SALES', 'Sales', NULL, NULL, now())`);
  await pool.query(`INSERT INTO agents (key, name, department_id, updated_at) VALUES ('bot', 'Bot', 3, now()), ('helper', 'Helper', 2, now()),
    ('racer', 'Racer', 4, now()), ('noise', 'Noise', 4, now())`);
  const { key, secret } = await createApiKey({ name: "gateway", scopes: ["ingest"], source: "gw", rateLimitPerMinute: 1_000_000, mayCreateEntities: true, mayWriteFinalized: true });
  keySecret = secret;
  caller = { kind: "apiKey", id: key.id, prefix: key.prefix, source: key.source, scopes: ["ingest"], rateLimitPerMinute: null, policy: UNRESTRICTED, usageSource: "traces" };
  otherPool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 2 });
  other = new BudgetCache({ pool: otherPool, connectionString: env().DATABASE_URL });
  await Promise.all([budgetCache().start(), other.start()]);
});

afterAll(async () => {
  await other?.stop();
  await otherPool?.end();
  await budgetCache().stop();
  await db.$disconnect();
});

async function limit(scope: string, target: string, period: string, soft: string | null, hard: string | null, failMode = "open") {
  const col = scope === "department" ? "department_id" : scope === "agent" ? "agent_id" : "api_key_id";
  const id = scope === "department" ? `(SELECT id FROM departments WHERE code = $1)` : scope === "agent" ? `(SELECT id FROM agents WHERE key = $1)` : `$1::int`;
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO budget_limits (scope, ${col}, period, soft, hard, fail_mode, updated_at) VALUES ('${scope}', ${id}, $2, $3, $4, $5, now()) RETURNING id`,
    [target, period, soft, hard, failMode]);
  await budgetCache().reloadConfig();
  await other.reloadConfig();
  return rows[0]!.id;
}

describe("budget checks", () => {
  it("the tightest nested limit wins and the answer says which", async () => {
    await limit("department", "OPS", "month", null, "1000.00");
    await limit("department", "SUPPORT", "week", null, "50.00");
    const agentLimit = await limit("agent", "bot", "day", "8.00", "10.00");
    await limit("apiKey", String(caller.id), "month", null, "900.00");
    await ingestEvents("gw", [ev("bot", "6")], UNRESTRICTED);

    let r = await runBudgetCheck({ agent: "bot" }, caller);
    expect(r).toMatchObject({ allowed: true, level: "ok", remaining: "4.00", answeredFrom: "cache", limit: { id: agentLimit, scope: "agent", target: "bot", period: "day", spent: "6.00" } });
    r = await runBudgetCheck({ agent: "bot", estimatedCost: { amount: "3", currency: "USD" } }, caller);
    expect(r).toMatchObject({ allowed: true, level: "soft", limit: { id: agentLimit } });
    r = await runBudgetCheck({ agent: "bot", estimatedCost: { amount: "4.01", currency: "USD" } }, caller);
    expect(r).toMatchObject({ allowed: false, level: "hard", limit: { id: agentLimit } });

    // Spend elsewhere in SUPPORT's subtree exhausts its weekly limit: bot is denied by SUPPORT although its own
    // daily limit has room. SALES is outside the subtree and stays allowed.
    await ingestEvents("gw", [ev("helper", "44.50")], UNRESTRICTED);
    r = await runBudgetCheck({ agent: "bot" }, caller);
    const weekStart = (await pool.query<{ s: Date }>("SELECT (date_trunc('week', now() AT TIME ZONE $1) AT TIME ZONE $1) AS s", [TZ])).rows[0]!.s;
    const supportSpend = await rawSpend("department_id IN (2, 3) AND timestamp >= $1", [weekStart]);
    expect(supportSpend).toBe("50.50");
    expect(r).toMatchObject({ allowed: false, level: "hard", remaining: "0.00", limit: { scope: "department", target: "SUPPORT", period: "week", spent: supportSpend } });
    expect(await runBudgetCheck({ agent: "racer" }, caller)).toMatchObject({ allowed: true, limit: { scope: "apiKey", spent: await rawSpend("source = 'gw' AND timestamp >= date_trunc('month', now() AT TIME ZONE $1) AT TIME ZONE $1", [TZ]) } });
    // `department` overrides the agent's own; an unknown department is a 400 naming the field.
    expect(await runBudgetCheck({ agent: "bot", department: "SALES" }, caller)).toMatchObject({ allowed: true, limit: { id: agentLimit } });
    expect(() => checkBudget(budgetCache(), { agent: "bot", department: "NOPE" }, caller.id)).toThrow(/Invalid request body/);
    expect(() => checkBudget(budgetCache(), { agent: "bot", estimatedCost: { amount: "1", currency: "EUR" } }, caller.id)).toThrow(/Invalid request body/);

    // The other instance agrees (it heard about both batches over LISTEN/NOTIFY).
    expect(checkBudget(other, { agent: "bot" }, caller.id)).toMatchObject({ allowed: false, limit: { target: "SUPPORT", spent: "50.50" } });
  });

  it("use vs limit (Allocation, agent page): the applicable limits with the raw events' spend; scoped users see their own", async () => {
    const monthStart = "date_trunc('month', now() AT TIME ZONE $1) AT TIME ZONE $1";
    const weekStart = "date_trunc('week', now() AT TIME ZONE $1) AT TIME ZONE $1";
    const dayStart = "date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1";
    const use = await budgetUseFor(admin, { agent: "bot" });
    const byKey = new Map(use.items.map((u) => [`${u.target}/${u.period}`, u]));
    expect([...byKey.keys()].sort()).toEqual(["OPS/month", "SUPPORT/month", "SUPPORT/week", "bot/day"]);
    expect(byKey.get("bot/day")).toMatchObject({ scope: "agent", soft: "8.00", hard: "10.00", level: "ok", spent: await rawSpend(`agent_id = (SELECT id FROM agents WHERE key = 'bot') AND timestamp >= ${dayStart}`, [TZ]), usedPercent: "60.0", tightest: false });
    expect(byKey.get("SUPPORT/week")).toMatchObject({ level: "hard", spent: await rawSpend(`department_id IN (2, 3) AND timestamp >= ${weekStart}`, [TZ]), usedPercent: "101.0", tightest: true });
    expect(byKey.get("SUPPORT/month")).toMatchObject({ id: null, soft: "500.00", hard: null, spent: await rawSpend(`department_id IN (2, 3) AND timestamp >= ${monthStart}`, [TZ]) });
    expect(byKey.get("OPS/month")).toMatchObject({ hard: "1000.00", spent: await rawSpend(`department_id IN (1, 2, 3) AND timestamp >= ${monthStart}`, [TZ]) });

    // Scoped to SUPPORT and TIER1: OPS (the parent) applies but is not shown; another department's agent is not found.
    const scoped: UserCaller = { ...admin, role: "viewer", departmentIds: [2, 3] };
    const mine = await budgetUseFor(scoped, { agent: "bot" });
    expect(mine.items.map((u) => `${u.target}/${u.period}`).sort()).toEqual(["SUPPORT/month", "SUPPORT/week", "bot/day"]);
    expect(mine.hidden).toBe(1);
    await expect(budgetUseFor(scoped, { agent: "racer" })).rejects.toThrow(/No agent 'racer'/);
    await expect(budgetUseFor(scoped, { department: "SALES" })).rejects.toThrow(/No department 'SALES'/);
    // Every department limit (Allocation): the scoped user's only, none marked tightest.
    const all = await budgetUseFor(scoped, {});
    expect(all.items.map((u) => `${u.target}/${u.period}`).sort()).toEqual(["SUPPORT/month", "SUPPORT/week"]);
    expect(all.items.some((u) => u.tightest)).toBe(false);
  });

  it("records the first denial and the first soft crossing per limit and period: audit log and alert", async () => {
    await sleep(300); // crossings are recorded in the background
    const audits = await db.auditLog.findMany({ where: { entity: "budget_limit", action: { in: ["budget.deny", "budget.soft_crossed"] } } });
    const alerts = await db.alert.findMany({ where: { kind: "budget_limit" } });
    // agent day: soft and hard once each; SUPPORT week: hard once — however many checks answered so.
    expect(audits.map((a) => a.action).sort()).toEqual(["budget.deny", "budget.deny", "budget.soft_crossed"]);
    expect(alerts).toHaveLength(3);
    expect(alerts.every((a) => a.status === "open")).toBe(true);
  });

  it("a crossing under concurrent ingestion flips the answer with the batch that crosses, on both instances", async () => {
    const hard = new Decimal("20.00");
    await limit("agent", "racer", "month", null, hard.toFixed(2));
    let stop = false;
    const noise = (async () => {
      let n = 0;
      while (!stop) await ingestEvents("noise", Array.from({ length: 50 }, () => ev("noise", "0.01")), UNRESTRICTED).then(() => n++);
      return n;
    })();
    let total = new Decimal(0);
    const flips: number[] = [];
    for (let batch = 0; batch < 12; batch++) {
      await ingestEvents("gw", [ev("racer", "1.25"), ev("racer", "0.5")], UNRESTRICTED);
      total = total.plus("1.75");
      const r = await runBudgetCheck({ agent: "racer" }, caller);
      expect(r.allowed, `after batch ${batch} (${total} spent)`).toBe(total.lt(hard));
      expect(r.limit?.spent).toBe(total.toFixed(2));
      if (!r.allowed) flips.push(batch);
    }
    stop = true;
    expect(await noise).toBeGreaterThan(0);
    expect(flips[0]).toBe(11); // 12 × 1.75 = 21 ≥ 20; 11 × 1.75 = 19.25 < 20
    // The other instance catches up within a second.
    const deadline = Date.now() + 1_000;
    let seen = checkBudget(other, { agent: "racer" }, caller.id);
    while (seen.limit?.spent !== total.toFixed(2) && Date.now() < deadline) {
      await sleep(20);
      seen = checkBudget(other, { agent: "racer" }, caller.id);
    }
    expect(seen).toMatchObject({ allowed: false, level: "hard", limit: { spent: total.toFixed(2) } });
    expect(total.toFixed(2)).toBe(await rawSpend("agent_id = (SELECT id FROM agents WHERE key = 'racer')", []));
  });

  it("a limit changed anywhere (even straight in SQL) reaches both instances through NOTIFY", async () => {
    await pool.query("UPDATE budget_limits SET hard = 1000 WHERE agent_id = (SELECT id FROM agents WHERE key = 'racer')");
    const deadline = Date.now() + 1_000;
    const both = () => [checkBudget(budgetCache(), { agent: "racer" }, caller.id), checkBudget(other, { agent: "racer" }, caller.id)];
    while (both().some((r) => !r.allowed) && Date.now() < deadline) await sleep(20);
    for (const r of both()) expect(r).toMatchObject({ allowed: true });
  });

  it("a department's monthly budget is its soft level: implicit, or in a month limit without its own soft level", async () => {
    await pool.query("UPDATE departments SET monthly_budget = 10 WHERE code = 'SALES'");
    await budgetCache().reloadConfig();
    const salesSpend = await rawSpend("department_id = 4 AND timestamp >= date_trunc('month', now() AT TIME ZONE $1) AT TIME ZONE $1", [TZ]);
    expect(Number(salesSpend)).toBeGreaterThan(21);
    expect(await runBudgetCheck({ agent: "racer" }, caller)).toMatchObject({ allowed: true, level: "soft", limit: { id: null, scope: "department", target: "SALES", period: "month", soft: "10.00", hard: null, spent: salesSpend } });
    const id = await limit("department", "SALES", "month", null, "100000.00");
    expect(await runBudgetCheck({ agent: "racer" }, caller)).toMatchObject({ level: "soft", limit: { id, soft: "10.00", hard: "100000.00" } });
  });

  it("revocation: a revoked key stops passing the cached lookup at once", async () => {
    const auth = `Bearer ${keySecret}`;
    expect(await budgetCheckCaller(auth)).toMatchObject({ id: caller.id });
    expect(await budgetCheckCaller(auth)).toMatchObject({ id: caller.id }); // cached now
    await revokeApiKey(admin, caller.id);
    expect(await budgetCheckCaller(auth)).toBeNull();
    // Revoked straight in SQL (another instance, a script): the trigger's NOTIFY drops the cache.
    const { secret } = await createApiKey({ name: "second", scopes: ["check"], source: "second" });
    expect(await budgetCheckCaller(`Bearer ${secret}`)).not.toBeNull();
    await pool.query("UPDATE api_keys SET revoked_at = now() WHERE name = 'second'");
    const deadline = Date.now() + 1_000;
    while ((await budgetCheckCaller(`Bearer ${secret}`)) && Date.now() < deadline) await sleep(10);
    expect(await budgetCheckCaller(`Bearer ${secret}`)).toBeNull();
  });

  it("periods reset at local midnight in the organization's time zone, on a daylight-saving day too", async () => {
    await pool.query("INSERT INTO agents (key, name, updated_at) VALUES ('dst', 'DST', now())");
    await limit("agent", "dst", "day", null, "10.00");
    await limit("agent", "dst", "week", null, "100.00");
    // 2026-03-08 is 23 hours long in New York. 06:00Z = 01:00 EST; 03:30Z on the 9th = 23:30 EDT on the 8th.
    await ingestEvents("gw2", [
      ev("dst", "4", { timestamp: "2026-03-08T06:00:00Z" }),
      ev("dst", "5", { timestamp: "2026-03-09T03:30:00Z" }),
      ev("dst", "7", { timestamp: "2026-03-09T04:30:00Z" }),
    ], UNRESTRICTED);
    let now = Date.parse("2026-03-09T03:59:59Z");
    const p = new pg.Pool({ connectionString: env().DATABASE_URL, max: 1 });
    const clocked = new BudgetCache({ pool: p, connectionString: env().DATABASE_URL, now: () => now });
    try {
      await clocked.start();
      const before = checkBudget(clocked, { agent: "dst" }, null);
      expect(before).toMatchObject({ allowed: true, limit: { period: "day", spent: "9.00", periodStart: "2026-03-08" }, remaining: "1.00", resetsAt: "2026-03-09T04:00:00.000Z" });
      expect(checkBudget(clocked, { agent: "dst", estimatedCost: { amount: "1.01", currency: "USD" } }, null)).toMatchObject({ allowed: false, level: "hard" });
      now = Date.parse("2026-03-09T04:00:00Z"); // midnight EDT: a new day (and a new ISO week: the 9th is a Monday)
      const after = checkBudget(clocked, { agent: "dst" }, null);
      expect(after).toMatchObject({ allowed: true, limit: { period: "day", spent: "7.00", periodStart: "2026-03-09" }, remaining: "3.00", resetsAt: "2026-03-10T04:00:00.000Z" });
      expect(await rawSpend("agent_id = (SELECT id FROM agents WHERE key = 'dst') AND timestamp >= '2026-03-09T04:00:00Z' AND timestamp < '2026-03-10T04:00:00Z'", [])).toBe("7.00");
    } finally {
      await clocked.stop();
      await p.end();
    }
  });

  it("budget_spend_daily equals the raw events per local day, source, agent and department, and a rebuild gives the same", async () => {
    const q = `SELECT day::text, source, agent_id, department_id, trim_scale(cost)::text AS cost FROM budget_spend_daily WHERE cost <> 0 ORDER BY 1, 2, 3, 4`;
    const raw = await pool.query(`SELECT (timestamp AT TIME ZONE $1)::date::text AS day, source, agent_id, coalesce(department_id, 0) AS department_id,
      trim_scale(sum(cost))::text AS cost FROM usage_events GROUP BY 1, 2, 3, 4 HAVING sum(cost) <> 0 ORDER BY 1, 2, 3, 4`, [TZ]);
    const incremental = (await pool.query(q)).rows;
    expect(incremental).toEqual(raw.rows);
    expect(incremental.length).toBeGreaterThan(3);
    const { rebuildRollups } = await import("@/lib/rollups/rebuild");
    await rebuildRollups(pool);
    expect((await pool.query(q)).rows).toEqual(raw.rows);
  });
});
