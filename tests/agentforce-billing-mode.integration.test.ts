// Agents' billing mode read from the org after a preset sync: the Metadata API's AiAgentDefinitionVersion components
// (listMetadata, then readMetadata of each seen agent's latest version; shapes cited in tests/helpers/fake-data360-org.ts).
// The org's value replaces the agent's, audited; a version without billingMode, an agent the sync did not see and a
// connection user without the Metadata API permission change nothing; an expired session is renewed once.
import "@/tests/helpers/allow-loopback-http";
import { afterAll, beforeAll, expect, test } from "vitest";
import { encryptSecret } from "@/lib/connectors/crypto";
import { claim, runClaimed } from "@/lib/connectors/run";
import { readBillingModes } from "@/lib/connectors/salesforce/billing-mode";
import { clientFor } from "@/lib/connectors/salesforce/connection";
import { db, pool } from "@/lib/db";
import { startFakeOrg, type FakeOrg, type LogicalRow } from "@/tests/helpers/fake-data360-org";

const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const DATA360 = { pageSize: 2, pollMs: 5, maxWaitMs: 5_000 };
const NOW = new Date("2026-12-02T00:00:00Z");
const orgs: FakeOrg[] = [];

/** One token-usage row per agent: the preset that names agents by their API name. */
const tokenRows = (prefix: string, agents: string[]): LogicalRow[] =>
  agents.map((agent, i) => ({
    Id: `${prefix}-gai-${i}`,
    EventTimestamp: new Date(Date.parse("2026-11-20T10:00:00Z") + i * 60_000).toISOString(),
    AgentDeveloperName: agent,
    AgentIdentifier: `0Xx00000000000${i}`,
    AgentTypeCode: "EinsteinServiceAgent",
    AiAgentSessionId: `${prefix}-s-${i}`,
    AiAgentInteractionId: `${prefix}-int-${i}`,
    AiAgentToolName: "Create_Case",
    GenAiGatewayModelName: "llmgateway__GPT41",
    ModelProviderName: "OpenAI",
    PromptInputTokenCount: 100,
    PromptCompletionTokenCount: 20,
    IsBillableIndicator: true,
    IsMeteredIndicator: true,
    MeteringSkipReasonCode: null,
  }));

async function syncedOrg(prefix: string, agents: string[]) {
  const o = await startFakeOrg("std");
  orgs.push(o);
  o.state.rows = { AiAgentGenerativeAiUsage: tokenRows(prefix, agents) };
  const c = await db.connector.create({
    data: { name: `Billing modes ${prefix}`, provider: "salesforce", dataset: "consumption", baseUrl: o.url, apiKeyEncrypted: encryptSecret("af-secret"), agentKey: "agentforce", backfillDays: 30, settings: { clientId: "3MVG9-af", presets: ["token_usage"] } },
  });
  const run = async () => {
    expect(await claim(c.id, false)).toBe(true);
    return db.connectorRun.findUniqueOrThrow({ where: { id: await runClaimed(c.id, { retry: FAST, now: NOW, data360: DATA360 }) } });
  };
  return { o, c, run };
}

const modes = async (keys: string[]) => Object.fromEntries((await db.agent.findMany({ where: { key: { in: keys } }, select: { key: true, billingMode: true } })).map((a) => [a.key, a.billingMode]));
const audits = async (keys: string[]) =>
  (await pool.query(`SELECT a.key, l.actor, l.before, l.after FROM audit_logs l JOIN agents a ON l.entity_id = a.id::text WHERE l.action = 'agent.billing_mode_from_org' AND a.key = ANY($1) ORDER BY l.id`, [keys])).rows;

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
});
afterAll(async () => {
  await Promise.all(orgs.map((o) => o.close()));
});

test("a preset sync sets each seen agent's billing mode from its latest version; the org's value replaces the admin's, audited", async () => {
  const agents = ["Bm_Service", "Bm_Sales", "Bm_Quiet"];
  const { o, run } = await syncedOrg("bm1", agents);
  o.state.agentVersions = {
    "Bm_Service#2": "OutcomeBased",
    "Bm_Service#10": "ActionBased", // the latest (10 > 2, not "10" < "2")
    "Bm_Sales#1": "OutcomeBased",
    "Bm_Quiet#1": null, // no billingMode on the version: the agent keeps the admin's value
    "Bm_Unseen#1": "OutcomeBased", // not in this sync: never read
  };
  // The admin set two of them before the first sync.
  await pool.query("INSERT INTO agents (key, name, billing_mode, updated_at) VALUES ('Bm_Sales', 'Sales', 'action', now()), ('Bm_Quiet', 'Quiet', 'outcome', now())");

  expect(await run()).toMatchObject({ status: "succeeded", error: null, accepted: agents.length });
  expect(await modes([...agents, "Bm_Unseen"])).toEqual({ Bm_Service: "action", Bm_Sales: "outcome", Bm_Quiet: "outcome" });
  expect(o.state.metadataCalls[0]).toBe("listMetadata");
  expect(o.state.metadataCalls.slice(1).map((c) => c.split(" ")[1]!.split(",").sort())).toEqual([["Bm_Quiet#1", "Bm_Sales#1", "Bm_Service#10"]]);
  expect(await audits(agents)).toEqual([
    { key: "Bm_Service", actor: "system", before: { billingMode: null }, after: { billingMode: "action", connector: expect.any(Number) } },
    { key: "Bm_Sales", actor: "system", before: { billingMode: "action" }, after: { billingMode: "outcome", connector: expect.any(Number) } },
  ]);

  // The org changes an agent's mode; the next sync that sees the agent applies it (one audit row per change).
  o.state.agentVersions["Bm_Sales#2"] = "ActionBased";
  o.state.rows.AiAgentGenerativeAiUsage!.push({ ...tokenRows("bm1b", ["Bm_Sales"])[0]!, EventTimestamp: "2026-11-21T10:00:00.000Z" });
  expect(await run()).toMatchObject({ status: "succeeded", accepted: 1 });
  expect(await modes(agents)).toEqual({ Bm_Service: "action", Bm_Sales: "action", Bm_Quiet: "outcome" });
  expect((await audits(agents)).map((a) => [a.key, a.after.billingMode])).toEqual([["Bm_Service", "action"], ["Bm_Sales", "outcome"], ["Bm_Sales", "action"]]);
});

test("without the Metadata API permission the sync still succeeds and billing modes are left as they are", async () => {
  const { o, run } = await syncedOrg("bm2", ["Bm_NoPerm"]);
  o.state.agentVersions = { "Bm_NoPerm#1": "OutcomeBased" };
  o.state.metadataFault = "INSUFFICIENT_ACCESS";
  await pool.query("INSERT INTO agents (key, name, billing_mode, updated_at) VALUES ('Bm_NoPerm', 'No perm', 'action', now())");
  expect(await run()).toMatchObject({ status: "succeeded", error: null, accepted: 1 });
  expect(await modes(["Bm_NoPerm"])).toEqual({ Bm_NoPerm: "action" });
  expect(await audits(["Bm_NoPerm"])).toEqual([]);
});

test("an expired session on the Metadata API is renewed once; listMetadata and readMetadata then answer", async () => {
  const { o, c } = await syncedOrg("bm3", []);
  o.state.agentVersions = { "Bm_Expired#1": "OutcomeBased", "Bm_Expired#3": "ActionBased" };
  const client = clientFor(c, FAST);
  await client.authenticate();
  o.state.tokens.clear(); // the session dies before the SOAP call (fault sf:INVALID_SESSION_ID)
  expect(await readBillingModes(client, "62.0", ["Bm_Expired"])).toEqual(new Map([["Bm_Expired", "action"]]));
  expect(o.state.issued).toBe(2);
  expect(o.state.metadataCalls).toEqual(["listMetadata", "readMetadata Bm_Expired#3"]);
});
