// Query API V2 with the Data 360 token exchange, against a fake org that requires it (shapes cited in
// tests/helpers/fake-data360-org.ts): the Connect query is refused there, the V2 path exchanges the core token for a
// tenant token, pages by nextBatchId, re-exchanges when the tenant token expires mid-sync, and imports every row once.
import "@/tests/helpers/allow-loopback-http";
import { afterAll, beforeAll, expect, test } from "vitest";
import { encryptSecret } from "@/lib/connectors/crypto";
import { claim, runClaimed } from "@/lib/connectors/run";
import { clientFor, salesforceSource } from "@/lib/connectors/salesforce/connection";
import { querySql } from "@/lib/connectors/salesforce/data360";
import { reconcile } from "@/lib/connectors/salesforce/reconcile";
import { db, pool } from "@/lib/db";
import { startFakeOrg, type FakeOrg, type LogicalRow } from "@/tests/helpers/fake-data360-org";

const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const DATA360 = { pageSize: 2, pollMs: 5, maxWaitMs: 5_000 };
const NOW = new Date("2026-12-02T00:00:00Z");
const UNITS = [20, 40, 20, 60, 20];
const CREDITS: LogicalRow[] = UNITS.map((units, i) => ({
  Id: `tue-${i}`, EventTime: `2026-11-2${i} 10:00:00.000`, UnitsConsumed: units, UsageValue: units / 20, Multiplier: 20, ResourceIdOrApiName: "Create_Case",
  FeatureDeveloperName: "Agentforce", UsageTypeDeveloperName: "Actions", UsageSubtype0: "Custom Agent Action", CardDefinitionDeveloperName: "FlexCredits",
}));
const DAILY: LogicalRow[] = UNITS.map((units, i) => ({ Id: `d-${i}`, UtilizationDate: `2026-11-2${i}`, CardDefinitionDeveloperName: "FlexCredits", UsageConsumed: units / 20, UnitsConsumed: units, Multiplier: 20, Unit: "Credits", UsageAggregationType: "Sum" }));

let o: FakeOrg;
beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
  o = await startFakeOrg("dmo");
  o.state.rows = { TenantEnrichedUsageEvent: CREDITS, TenantDailyEntitlementConsumption: DAILY };
  o.state.requireTenantToken = true;
});
afterAll(async () => {
  await o.close();
});

const connection = (queryApi: "connect" | "v2") =>
  db.connector.create({ data: { name: `V2 ${queryApi}`, provider: "salesforce", dataset: "consumption", baseUrl: o.url, apiKeyEncrypted: encryptSecret("af-secret"), agentKey: "agentforce", backfillDays: 30, settings: { clientId: "3MVG9-af", presets: ["flex_credits"], queryApi } } });

async function run(id: number) {
  expect(await claim(id, false)).toBe(true);
  return db.connectorRun.findUniqueOrThrow({ where: { id: await runClaimed(id, { retry: FAST, now: NOW, data360: DATA360 }) } });
}

test("an org that requires the token exchange refuses the Connect query; Query API V2 reads every page with the tenant token", async () => {
  const connect = await connection("connect");
  const refused = await run(connect.id);
  expect(refused.status).toBe("failed");
  expect(refused.error).toContain("INSUFFICIENT_ACCESS");
  await db.connector.delete({ where: { id: connect.id } }); // it claimed the org (one preset connection per org)

  const c = await connection("v2");
  // Object list, describe, the query, then the second page: the tenant token dies there.
  o.state.expireAtRequest = o.state.requests + 4;
  const r = await run(c.id);
  expect(r).toMatchObject({ status: "succeeded", accepted: UNITS.length, pages: 3 });
  expect(o.state.exchanges).toBe(2); // the first tenant token and one re-exchange
  const stored = await pool.query("SELECT sum((properties->>'credits')::numeric)::int AS credits, count(*)::int AS n FROM usage_events WHERE source = $1", [salesforceSource(c.id)]);
  expect(stored.rows[0]).toEqual({ credits: UNITS.reduce((a, b) => a + b, 0), n: UNITS.length });

  // The reconciliation reads the daily totals the same way.
  const rec = await reconcile(await db.connector.findUniqueOrThrow({ where: { id: c.id } }), clientFor(c, FAST), { from: "2026-11", to: "2026-11", granularity: "day" }, DATA360);
  expect(rec.months).toMatchObject([{ month: "2026-11", agentLedgerCredits: "160", orgCredits: "160", difference: "0" }]);
});

test("when both tokens have expired, the exchange renews the Salesforce token first, then the tenant token", async () => {
  const c = await db.connector.findFirstOrThrow({ where: { name: "V2 v2" } });
  const client = clientFor(c, FAST);
  const input = { from: "2026-11", to: "2026-11", granularity: "day" } as const;
  await reconcile(c, client, input, DATA360);
  expect([client.authentications, client.exchanges]).toEqual([1, 1]);
  o.state.tokens.clear();
  o.state.tenantTokens.clear();
  const rows = [];
  for await (const page of querySql(client, `SELECT "Id__c" FROM "TenantDailyEntitlementConsumption__dlm" WHERE "UtilizationDate__c" >= DATE '2026-11-01' AND "UtilizationDate__c" < DATE '2026-12-01'`, DATA360)) rows.push(...page.rows);
  expect(rows).toHaveLength(DAILY.length);
  // The Data 360 query got 401, the exchange 401 (the Salesforce token had expired), then a new token and a new exchange.
  expect([client.authentications, client.exchanges]).toEqual([2, 2]);
});
