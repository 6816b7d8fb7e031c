// Scheduled reports (issue 21): which are due when in the organization's time zone, each sent once per period and
// scope even with two runners at once, their figures equal to an independent sum over the raw events, and the mail
// as a real SMTP server receives it (subject, recipient, unsubscribe header, the figures).
import { mailbox, smtpServer } from "@/tests/helpers/smtp-peer";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Decimal } from "@/lib/allocation/decimal";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { formatMoney } from "@/lib/format";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { dueReports, firstWorkingDay, sendDueReports, type Report } from "./digests";
import { setChannelSubscriptions, setMySubscriptions } from "./subscriptions";
import { createWebhook, deliverDueWebhooks } from "./webhooks";

const TZ = "Pacific/Auckland"; // UTC+13 in December: local days differ from UTC days
const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const vera: UserCaller = { kind: "user", id: 2, email: "vera@test", name: "Vera", role: "viewer", departmentIds: null };
const dept: Record<string, number> = {};

/** A deterministic spread of events over Nov 25 – Dec 8 UTC, many near local midnight, in two departments. */
async function seedEvents() {
  const agents: number[] = [];
  for (const code of ["MKT", "OPS"]) {
    dept[code] = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, monthly_budget, updated_at) VALUES ($1, $2, 5000, now()) RETURNING id", [code, code === "MKT" ? "Marketing" : "Operations"])).rows[0]!.id;
    for (const n of [1, 2]) agents.push((await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ($1, $1, $2, now()) RETURNING id", [`${code.toLowerCase()}-${n}`, dept[code]])).rows[0]!.id);
  }
  const start = Date.parse("2026-11-25T00:00:00Z");
  for (let i = 0; i < 400; i++) {
    const at = new Date(start + i * 47 * 60_000 + (i % 7) * 61_000); // every ~47 minutes, crossing every local midnight
    const agent = agents[i % agents.length]!;
    const department = agent <= agents[1]! ? dept.MKT : dept.OPS;
    const cost = new Decimal(((i * 7919) % 1000) + 1).div(137).toFixed(10);
    await pool.query(
      "INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, fx_pending) VALUES ('t', $1, $2, 'llm.call', $3, $4, $5, $6)",
      [`e${i}`, at.toISOString(), agent, department, cost, i % 50 === 0],
    );
  }
}

/** The independent figure: raw events summed per department over local days in SQL, rounded to cents half-even
 *  (the app's rounding rule, README "Money"). */
const cents = (sum: string) => new Decimal(sum).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
async function rawTotals(from: string, to: string, department: string | null) {
  const { rows } = await pool.query<{ code: string; cost: string; events: number }>(
    `SELECT d.code, sum(e.cost)::text AS cost, count(*)::int AS events FROM usage_events e JOIN departments d ON d.id = e.department_id
     WHERE (e.timestamp AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR d.code = $4)
     GROUP BY d.code ORDER BY d.code`,
    [TZ, from, to, department],
  );
  const { rows: all } = await pool.query<{ cost: string }>(
    `SELECT sum(e.cost)::text AS cost FROM usage_events e JOIN departments d ON d.id = e.department_id
     WHERE (e.timestamp AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR d.code = $4)`,
    [TZ, from, to, department],
  );
  return { total: cents(all[0]!.cost), byDepartment: rows.map((r) => ({ ...r, cost: cents(r.cost) })) };
}

let finance = 0;

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, monthly_budget, updated_at) VALUES (1, 'Acme', 'USD', $1, 8000, now())", [TZ]);
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now()), (2, 'vera@test', 'Vera', 'viewer', now())");
  await seedEvents();
  await rebuildRollups(pool);
  finance = (await createWebhook(admin, { type: "email", to: "finance@example.com" })).id;
  await setChannelSubscriptions(admin, finance, [{ kind: "digest.weekly", department: null }, { kind: "statement.monthly", department: null }]);
  await setMySubscriptions(vera, [{ kind: "digest.daily", department: "MKT" }]);
});

afterAll(() => new Promise<void>((resolve) => smtpServer.close(() => resolve())));

const reportsOf = async (event: string) =>
  (await db.webhookDelivery.findMany({ where: { event }, orderBy: { id: "asc" } })).map((d) => ({ channel: d.webhookId, report: (d.payload as { report: Report }).report }));

describe("what is due when, in the organization's time zone", () => {
  test("from 07:00 local: yesterday's digest, Mondays the week, the first working day the month", () => {
    // 2026-12-01 (a Tuesday) 06:59 and 07:00 in Auckland.
    expect(dueReports(TZ, new Date("2026-11-30T17:59:00Z"))).toEqual([]);
    expect(dueReports(TZ, new Date("2026-11-30T18:00:00Z"))).toEqual([
      { kind: "digest.daily", from: "2026-11-30", to: "2026-11-30" },
      { kind: "statement.monthly", from: "2026-11-01", to: "2026-11-30" },
    ]);
    // Monday 2026-12-07, 08:00 local (still Sunday in UTC).
    expect(dueReports(TZ, new Date("2026-12-06T19:00:00Z"))).toEqual([
      { kind: "digest.daily", from: "2026-12-06", to: "2026-12-06" },
      { kind: "digest.weekly", from: "2026-11-30", to: "2026-12-06" },
    ]);
    expect(firstWorkingDay("2026-08")).toBe("2026-08-03"); // Aug 1 is a Saturday
    expect(firstWorkingDay("2026-12")).toBe("2026-12-01");
  });
});

describe("reports", () => {
  test("two runners at once queue each report once, to its subscribers only, with figures equal to the raw events", async () => {
    const monday = new Date("2026-12-06T19:00:00Z");
    const counts = await Promise.all([sendDueReports(monday), sendDueReports(monday)]);
    // Each report is decided by its own once(): the two runners may split them, but together they queue each once.
    expect(counts[0]! + counts[1]!).toBe(2);
    expect(await sendDueReports(new Date("2026-12-06T23:00:00Z"))).toBe(0); // a later tick the same day: nothing new

    const weekly = await reportsOf("digest.weekly");
    expect(weekly.map((w) => w.channel)).toEqual([finance]);
    const raw = await rawTotals("2026-11-30", "2026-12-06", null);
    expect(weekly[0]!.report).toMatchObject({ department: null, scopeName: "Acme", total: raw.total, from: "2026-11-30", to: "2026-12-06" });
    expect(Number(raw.total)).toBeGreaterThan(0);
    expect(weekly[0]!.report.lines.map((l) => [l.label, l.cost]).sort()).toEqual(raw.byDepartment.map((r) => [`${r.code === "MKT" ? "Marketing" : "Operations"} (${r.code})`, r.cost]).sort());
    expect(weekly[0]!.report.events).toBe(raw.byDepartment.reduce((n, r) => n + r.events, 0));
    const { rows: pending } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events WHERE fx_pending AND (timestamp AT TIME ZONE $1)::date BETWEEN '2026-11-30' AND '2026-12-06'", [TZ]);
    expect(weekly[0]!.report.fxPending).toBe(pending[0]!.n);

    const daily = await reportsOf("digest.daily");
    const own = await db.webhook.findUniqueOrThrow({ where: { userId: vera.id } });
    expect(daily.map((d) => d.channel)).toEqual([own.id]);
    expect(daily[0]!.report).toMatchObject({ department: "MKT", from: "2026-12-06", total: (await rawTotals("2026-12-06", "2026-12-06", "MKT")).total });

    // Delivered by email: a real SMTP server receives each, with its figures and a one-click unsubscribe.
    mailbox.length = 0;
    await deliverDueWebhooks(monday);
    const toFinance = mailbox.find((m) => m.envelopeTo.includes("finance@example.com"))!;
    expect(toFinance.mail.subject).toBe("[AgentLedger] Weekly spend digest: Acme, 2026-11-30 – 2026-12-06");
    expect(toFinance.mail.text).toContain(formatMoney(raw.total, "USD"));
    expect(JSON.stringify(toFinance.mail.headers.get("list"))).toContain("/api/v1/unsubscribe?token=");
    expect(mailbox.find((m) => m.envelopeTo.includes("vera@test"))!.mail.subject).toBe("[AgentLedger] Daily spend digest: Marketing (MKT), 2026-12-06");
  });

  test("the monthly statement compares the month with the organization's budget", async () => {
    // 07:30 on Tuesday 1 December in Auckland: November's statement, and Vera's daily digest of 30 November.
    expect(await sendDueReports(new Date("2026-11-30T18:30:00Z"))).toBe(2);
    const [statement] = await reportsOf("statement.monthly");
    const raw = await rawTotals("2026-11-01", "2026-11-30", null);
    expect(statement!.report).toMatchObject({ from: "2026-11-01", to: "2026-11-30", total: raw.total, budget: "8000.00", budgetUsed: new Decimal(raw.total).div(8000).times(100).toFixed(1) });
  });
});
