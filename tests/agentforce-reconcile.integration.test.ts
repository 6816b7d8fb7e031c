// Flex Credits reconciliation against the fake org (shapes cited in tests/helpers/fake-data360-org.ts): AgentLedger's
// credits (imported by the flex_credits preset) vs TenantDailyEntitlementConsumption / TenantHourlyEntitlementConsumption,
// per month, in each release's spelling; every figure is checked against sums computed here from the fixture rows.
import "@/tests/helpers/allow-loopback-http";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encryptSecret } from "@/lib/connectors/crypto";
import { claim, runClaimed } from "@/lib/connectors/run";
import { clientFor } from "@/lib/connectors/salesforce/connection";
import { reconcile } from "@/lib/connectors/salesforce/reconcile";
import { ReconciliationQuerySchema } from "@/lib/connectors/salesforce/schemas";
import { db, pool } from "@/lib/db";
import { startFakeOrg, type FakeOrg, type LogicalRow, type Spelling } from "@/tests/helpers/fake-data360-org";

const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const DATA360 = { pageSize: 2, pollMs: 5, maxWaitMs: 5_000 };
const lakeTime = (iso: string) => iso.replace("T", " ").replace("Z", "");

/** Credit events (units) by time; the October one is before the first sync's 30-day backfill window. */
const EVENTS: [string, number][] = [
  ["2026-10-20T09:00:00.000Z", 20],
  ["2026-11-05T09:15:00.000Z", 20],
  ["2026-11-05T14:40:00.000Z", 40],
  ["2026-11-10T11:00:00.000Z", 20],
  ["2026-11-20T16:30:00.000Z", 60],
  ["2026-12-01T10:00:00.000Z", 20],
];
const CREDITS: LogicalRow[] = EVENTS.map(([t, units], i) => ({
  Id: `tue-${i}`,
  EventTime: lakeTime(t),
  UnitsConsumed: units,
  UsageValue: units / 20,
  Multiplier: 20,
  ResourceIdOrApiName: "Create_Case",
  FeatureDeveloperName: "Agentforce",
  UsageTypeDeveloperName: "Actions",
  UsageSubtype0: "Custom Agent Action",
  CardDefinitionDeveloperName: "FlexCredits",
}));
/** The org's daily totals: Nov 10 carries 20 credits more than its events (e.g. a multiplier revised later); Dec 1 not in yet. */
const DAILY_CREDITS: [string, number][] = [
  ["2026-10-20", 20],
  ["2026-11-05", 60],
  ["2026-11-10", 40],
  ["2026-11-20", 60],
];
const daily = (rows: [string, number][]): LogicalRow[] =>
  rows.map(([day, units], i) => ({ Id: `tdec-${i}`, UtilizationDate: day, CardDefinitionDeveloperName: "FlexCredits", UsageConsumed: units / 20, UnitsConsumed: units, Multiplier: 20, Unit: "Credits", UsageAggregationType: "Sum" }));
/** Hour totals: usage × multiplier = credits (no credits field documented); one row per event hour. */
const HOURLY: LogicalRow[] = EVENTS.map(([t, units], i) => ({ Id: `thec-${i}`, UsageHourBucket: `${t.slice(0, 13)}:00:00.000Z`, ResourceIdOrApiName: "Create_Case", UsageConsumed: units / 20, Multiplier: 20, Contract: "800xx" }));

const orgs: FakeOrg[] = [];
beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
});
afterAll(async () => {
  await Promise.all(orgs.map((o) => o.close()));
});

async function syncedConnection(spelling: Spelling, now: Date) {
  const o = await startFakeOrg(spelling);
  orgs.push(o);
  o.state.rows = { TenantEnrichedUsageEvent: CREDITS, TenantDailyEntitlementConsumption: daily(DAILY_CREDITS), TenantHourlyEntitlementConsumption: HOURLY };
  const c = await db.connector.create({
    data: { name: `Reconcile ${spelling}`, provider: "salesforce", dataset: "consumption", baseUrl: o.url, apiKeyEncrypted: encryptSecret("af-secret"), agentKey: "agentforce", backfillDays: 30, settings: { clientId: "3MVG9-af", presets: ["flex_credits"] } },
  });
  expect(await claim(c.id, false)).toBe(true);
  await runClaimed(c.id, { retry: FAST, now, data360: DATA360 });
  // The run's start is the backfill window's anchor; pin it to the run's `now`.
  await db.connectorRun.updateMany({ where: { connectorId: c.id }, data: { startedAt: now } });
  return { o, c: await db.connector.findUniqueOrThrow({ where: { id: c.id } }) };
}

const sumIn = (rows: [string, number][], month: string, from = "") => rows.filter(([t]) => t.startsWith(month) && t >= from).reduce((s, [, u]) => s + u, 0);
const NOW = new Date("2026-12-02T00:00:00Z");
const WINDOW = "2026-11-02"; // NOW − 30 days: events before it were never read

describe.each<Spelling>(["ssot", "dmo", "std"])("reconciliation, %s spelling", (spelling) => {
  test("per month: AgentLedger's credits vs the daily totals, each difference explained", async () => {
    const { o, c } = await syncedConnection(spelling, NOW);
    const r = await reconcile(c, clientFor(c, FAST), { from: "2026-10", to: "2026-12", granularity: "day" }, DATA360);
    expect(r.object).toContain("TenantDailyEntitlementConsumption");
    expect(o.state.sql.at(-1)).toContain(">= DATE '2026-10-01' AND");
    for (const month of ["2026-10", "2026-11", "2026-12"]) {
      const ledger = sumIn(EVENTS, month, WINDOW);
      const org = sumIn(DAILY_CREDITS, month);
      const m = r.months.find((x) => x.month === month)!;
      expect([m.agentLedgerCredits, m.orgCredits, m.difference]).toEqual([String(ledger), String(org), String(ledger - org)]);
      expect(m.agentLedgerCost).toBe(new Decimal(ledger).mul(500).div(100_000).toFixed(2));
      expect(m.orgCost).toBe(new Decimal(org).mul(500).div(100_000).toFixed(2));
      // The explanation adds up to the difference.
      expect(Object.values(m.explained).reduce((s, v) => s + Number(v), 0)).toBe(ledger - org);
    }
    expect(r.buckets.map((b) => [b.bucket.slice(0, 10), b.difference, b.reason])).toEqual([
      ["2026-10-20", "-20", "before_sync_window"],
      ["2026-11-10", "-20", "unexplained"],
      ["2026-12-01", "20", "not_in_org_totals_yet"],
    ]);

    // Later the org reports Dec 1 including a new 40-credit event AgentLedger has not synced yet.
    o.state.rows.TenantDailyEntitlementConsumption = daily([...DAILY_CREDITS, ["2026-12-01", 60]]);
    const later = await reconcile(c, clientFor(c, FAST), { from: "2026-12", to: "2026-12", granularity: "day" }, DATA360);
    expect(later.months).toMatchObject([{ month: "2026-12", agentLedgerCredits: "20", orgCredits: "60", difference: "-40", explained: { not_synced_yet: "-40", unexplained: "0" } }]);
  });
});

test("hour granularity reads the hourly object: credits = usage × multiplier", async () => {
  const { c } = await syncedConnection("std", NOW);
  const r = await reconcile(c, clientFor(c, FAST), { from: "2026-11", to: "2026-11", granularity: "hour" }, DATA360);
  expect(r.object).toBe("TenantHourlyEntitlementConsumption__dlm");
  const org = HOURLY.filter((h) => String(h.UsageHourBucket).startsWith("2026-11")).reduce((s, h) => s + Number(h.UsageConsumed) * Number(h.Multiplier), 0);
  expect(r.months).toMatchObject([{ month: "2026-11", agentLedgerCredits: String(sumIn(EVENTS, "2026-11")), orgCredits: String(org), difference: "0" }]);
  expect(r.buckets).toEqual([]);
});

test("the query is validated; an org without the object, or a connection without the credits preset, is refused by name", async () => {
  expect(ReconciliationQuerySchema.safeParse({ from: "2026-11", to: "2026-10" }).error?.issues[0]).toMatchObject({ path: ["to"], message: "must not be before from" });
  expect(ReconciliationQuerySchema.safeParse({ from: "2025-01", to: "2026-01" }).error?.issues[0]?.message).toBe("at most 12 months in one request");
  expect(ReconciliationQuerySchema.safeParse({ from: "2026-11", to: "2026-11", granularity: "week" }).success).toBe(false);
  const { o, c } = await syncedConnection("dmo", NOW);
  o.state.absent.add("TenantDailyEntitlementConsumption");
  await expect(reconcile(c, clientFor(c, FAST), { from: "2026-11", to: "2026-11", granularity: "day" }, DATA360)).rejects.toThrow("Reconciliation: no TenantDailyEntitlementConsumption object in this org");
  const tokensOnly = await db.connector.update({ where: { id: c.id }, data: { settings: { clientId: "3MVG9-af", presets: ["token_usage"] } } });
  await expect(reconcile(tokensOnly, clientFor(tokensOnly, FAST), { from: "2026-11", to: "2026-11", granularity: "day" }, DATA360)).rejects.toThrow("turn that preset on");
});
