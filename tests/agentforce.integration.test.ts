// Agentforce presets against a fake org serving the Data 360 endpoints (shapes and their sources cited in
// tests/helpers/fake-data360-org.ts): name discovery for each release's spelling, the Query API's async states and
// paging, an expired session and 429s mid-sync, resume after a failed run, idempotent re-sync, the three presets'
// events (credits priced at the credit rate, tokens at cost 0 while credits are on, sessions as agent tasks).
import "@/tests/helpers/allow-loopback-http";
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encryptSecret } from "@/lib/connectors/crypto";
import { claim, runClaimed } from "@/lib/connectors/run";
import { clientFor, salesforceSource } from "@/lib/connectors/salesforce/connection";
import { discover, previewPresets } from "@/lib/connectors/salesforce/preset-pull";
import type { Preset } from "@/lib/connectors/salesforce/schemas";
import { db, pool } from "@/lib/db";
import { startFakeOrg, type FakeOrg, type LogicalRow, type Spelling } from "@/tests/helpers/fake-data360-org";

const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const DATA360 = { pageSize: 2, pollMs: 5, maxWaitMs: 5_000 };
const NOW = new Date("2026-12-02T00:00:00Z");
const ALL: Preset[] = ["flex_credits", "token_usage", "sessions"];

const minute = (i: number) => new Date(Date.parse("2026-11-20T10:00:00Z") + i * 60_000);
/** Data lake rows carry "YYYY-MM-DD HH:MM:SS.fff" (UTC); the model objects ISO instants. */
const lakeTime = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

const CREDITS: LogicalRow[] = [20, 20, 40, 20, 60].map((units, i) => ({
  Id: `tue-${i}`,
  EventTime: lakeTime(minute(i)),
  UnitsConsumed: units,
  UsageValue: units / 20,
  Multiplier: 20,
  ResourceIdOrApiName: i % 2 ? "Answer_Questions_with_Knowledge" : "Create_Case",
  FeatureDeveloperName: "Agentforce",
  UsageTypeDeveloperName: "Actions",
  UsageSubtype0: "Custom Agent Action",
  CardDefinitionDeveloperName: "FlexCredits",
}));

const TOKENS: LogicalRow[] = [
  [1200, 300, true],
  [800, 200, true],
  [500, 100, false],
  [2500, 700, true],
].map(([input, output, billable], i) => ({
  Id: `gai-${i}`,
  EventTimestamp: minute(i).toISOString(),
  AgentDeveloperName: i % 2 ? "Sales_Agent" : "Service_Agent",
  AgentIdentifier: `0Xx00000000000${i}`,
  AgentTypeCode: "EinsteinServiceAgent",
  AiAgentSessionId: `s-${i}`,
  AiAgentInteractionId: `int-${i}`,
  AiAgentToolName: "Create_Case",
  GenAiGatewayModelName: "llmgateway__GPT41",
  ModelProviderName: "OpenAI",
  PromptInputTokenCount: input as number,
  PromptCompletionTokenCount: output as number,
  IsBillableIndicator: billable as boolean,
  IsMeteredIndicator: true,
  MeteringSkipReasonCode: null,
}));

const END_TYPES = ["Escalated", "Transfer", "Resolved", "Completed", "UserAbandoned"];
const SESSIONS: LogicalRow[] = [
  ...END_TYPES.map((endType, i) => ({
    Id: `s-${i}`,
    StartTimestamp: minute(i * 10).toISOString(),
    EndTimestamp: new Date(minute(i * 10).getTime() + (i + 1) * 90_000).toISOString(),
    AiAgentChannelType: i % 2 ? "Voice" : "Messaging",
    AiAgentSessionEndType: endType,
    RelatedMessagingSessionId: i % 2 ? null : `0Mw${i}`,
    RelatedVoiceCallId: i % 2 ? `0LQ${i}` : null,
  })),
  // Still open: not read until it ends.
  { Id: "s-open", StartTimestamp: minute(70).toISOString(), EndTimestamp: null, AiAgentChannelType: "Messaging", AiAgentSessionEndType: null, RelatedMessagingSessionId: null, RelatedVoiceCallId: null },
];
const PARTICIPANTS: LogicalRow[] = SESSIONS.slice(0, 4).flatMap((s, i) => [
  { Id: `p-u-${i}`, AiAgentSessionId: s.Id!, AiAgentApiName: null, AiAgentVersionApiName: null, AiAgentType: null, ParticipantRole: "USER" },
  { Id: `p-a-${i}`, AiAgentSessionId: s.Id!, AiAgentApiName: i % 2 ? "Sales_Agent" : "Service_Agent", AiAgentVersionApiName: "v1", AiAgentType: "EinsteinServiceAgent", ParticipantRole: "AGENT" },
]);

const orgs: FakeOrg[] = [];
async function org(spelling: Spelling): Promise<FakeOrg> {
  const o = await startFakeOrg(spelling);
  o.state.rows = { TenantEnrichedUsageEvent: CREDITS, AiAgentGenerativeAiUsage: TOKENS, AiAgentSession: SESSIONS, AiAgentSessionParticipant: PARTICIPANTS };
  orgs.push(o);
  return o;
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
});
afterAll(async () => {
  await Promise.all(orgs.map((o) => o.close()));
});

async function connection(o: FakeOrg, presets: Preset[], extra: Record<string, unknown> = {}) {
  return db.connector.create({
    data: { name: `Agentforce ${o.state.spelling}`, provider: "salesforce", dataset: "consumption", baseUrl: o.url, apiKeyEncrypted: encryptSecret("af-secret"), agentKey: "agentforce", backfillDays: 30, settings: { clientId: "3MVG9-af", presets, ...extra } },
  });
}

async function run(id: number) {
  expect(await claim(id, false)).toBe(true);
  const runId = await runClaimed(id, { retry: FAST, now: NOW, data360: DATA360 });
  return db.connectorRun.findUniqueOrThrow({ where: { id: runId } });
}

async function eventsOf(connectorId: number, type: string) {
  const r = await pool.query(
    `SELECT e.event_key AS id, a.key AS agent, e.quantity::text AS quantity, e.cost::text AS cost, e.model, e.input_tokens AS input, e.output_tokens AS output,
            e.task_type AS "taskType", e.handled_by AS "handledBy", e.task_status AS status, e.duration_seconds::float AS duration, e.unpriced, e.properties
       FROM usage_events e JOIN agents a ON a.id = e.agent_id WHERE e.source = $1 AND e.type = $2 ORDER BY e.event_key`,
    [salesforceSource(connectorId), type],
  );
  return r.rows;
}

const sum = (rows: LogicalRow[], field: string) => rows.reduce((s, r) => s + Number(r[field]), 0);

describe.each<Spelling>(["ssot", "dmo", "std"])("Agentforce presets, %s spelling", (spelling) => {
  test("discovery resolves each preset's logical fields to this release's names", async () => {
    const o = await org(spelling);
    const c = await connection(o, ALL);
    const d = await discover(clientFor(c, FAST), ALL);
    const expected = {
      ssot: { credits: ["TenantEnrichedUsageEvent__dll", "unitsconsumed__c"], session: ["ssot__AiAgentSession__dlm", "ssot__EndTimestamp__c"], tokens: ["ssot__AiAgentGenerativeAiUsage__dlm", "ssot__PromptInputTokenCount__c"] },
      dmo: { credits: ["TenantEnrichedUsageEvent__dlm", "UnitsConsumed__c"], session: ["std__AiAgentSessionDmo__dlm", "std__EndTimestamp__c"], tokens: ["std__AiAgentGenerativeAiUsageDmo__dlm", "std__PromptInputTokenCount__c"] },
      std: { credits: ["TenantEnrichedUsageEvent__dlm", "UnitsConsumed__c"], session: ["AiAgentSession_std__dlm", "EndTimestamp__c"], tokens: ["AiAgentGenerativeAiUsage_std__dlm", "PromptInputTokenCount__c"] },
    }[spelling];
    expect([d.presets.flex_credits!.object, d.presets.flex_credits!.fields.credits]).toEqual(expected.credits);
    expect([d.presets.sessions!.object, d.presets.sessions!.fields.end]).toEqual(expected.session);
    expect([d.presets.token_usage!.object, d.presets.token_usage!.fields.input]).toEqual(expected.tokens);
    for (const p of ALL) expect(d.presets[p]!.missing).toEqual([]);
    expect(d.participants?.object).toContain("AiAgentSessionParticipant");
    // The session participant object is not mistaken for the session object.
    expect(d.presets.sessions!.object).not.toContain("Participant");
  });

  test("a sync imports the three presets: credits at the credit rate, tokens at cost 0, sessions as agent tasks; a re-sync adds nothing", async () => {
    const o = await org(spelling);
    const c = await connection(o, ALL);
    o.state.runningPolls = 2; // every query is Running for two polls
    o.state.expireAtRequest = 9; // the session dies mid-sync
    o.state.failures.push({ match: "/rows?offset=2", status: 429, code: "REQUEST_LIMIT_EXCEEDED", times: 1 });

    const first = await run(c.id);
    expect(first).toMatchObject({ status: "succeeded", error: null, rejected: 0, accepted: CREDITS.length + TOKENS.length + END_TYPES.length });
    expect(o.state.issued).toBe(2); // the first token and one refresh
    expect(o.state.failures[0]!.times).toBe(0); // the 429 was met and waited out
    // 5 credit rows, 4 token rows, 5 ended sessions in pages of 2.
    expect(first.pages).toBe(3 + 2 + 3);

    const credits = await eventsOf(c.id, "agentforce.action");
    expect(credits.map((e) => e.id)).toEqual(CREDITS.map((r) => `flex_credits:${r.Id}`));
    // $500 per 100,000 credits, computed here from the fixture rows.
    const cost = credits.reduce((s, e) => s + Number(e.cost), 0);
    expect(cost.toFixed(10)).toBe(((sum(CREDITS, "UnitsConsumed") * 500) / 100_000).toFixed(10));
    expect(credits.reduce((s, e) => s + Number(e.quantity), 0)).toBe(sum(CREDITS, "UsageValue"));
    expect(credits[1]).toMatchObject({ agent: "agentforce", properties: { credits: 20, action: "Answer_Questions_with_Knowledge", usage_subtype: "Custom Agent Action", multiplier: 20 } });

    const tokens = await eventsOf(c.id, "llm.call");
    expect(tokens.map((e) => [e.agent, e.model, Number(e.input), Number(e.output), e.cost, e.properties.billable])).toEqual(
      TOKENS.map((r) => [r.AgentDeveloperName, "llmgateway__GPT41", r.PromptInputTokenCount, r.PromptCompletionTokenCount, "0.0000000000", r.IsBillableIndicator]),
    );
    expect(tokens[0].properties).toMatchObject({ provider: "OpenAI", session_id: "s-0", cost_in_flex_credits: true });

    const sessions = await eventsOf(c.id, "agentforce.session");
    expect(sessions.map((e) => [e.id, e.agent, e.taskType, e.handledBy, e.status, e.duration])).toEqual([
      ["sessions:s-0", "Service_Agent", "agentforce_session", "agent", "escalated", 90],
      ["sessions:s-1", "Sales_Agent", "agentforce_session", "agent", "escalated", 180],
      ["sessions:s-2", "Service_Agent", "agentforce_session", "agent", "completed", 270],
      ["sessions:s-3", "Sales_Agent", "agentforce_session", "agent", "completed", 360],
      ["sessions:s-4", "agentforce", "agentforce_session", "agent", null, 450],
    ]);
    expect(sessions[1].properties).toMatchObject({ end_type: "Transfer", channel: "Voice", voice_call_id: "0LQ1" });
    // No human task is invented and sessions carry no cost.
    const human = await pool.query("SELECT count(*)::int AS n FROM usage_events WHERE source = $1 AND handled_by = 'human'", [salesforceSource(c.id)]);
    expect(human.rows[0].n).toBe(0);
    expect(sessions.every((e) => e.cost === null || Number(e.cost) === 0)).toBe(true);

    const cursors = (await db.connector.findUniqueOrThrow({ where: { id: c.id } })).cursors;
    expect(cursors).toEqual({ flex_credits: minute(4).toISOString(), token_usage: minute(3).toISOString(), sessions: SESSIONS[4]!.EndTimestamp });
    const sqlBefore = o.state.sql.length;

    // Nothing new: the watermark queries return no rows.
    expect(await run(c.id)).toMatchObject({ status: "succeeded", accepted: 0, duplicates: 0 });
    expect(o.state.sql.slice(sqlBefore).find((s) => s.includes("EndTimestamp"))).toContain(`> TIMESTAMP WITH TIME ZONE '${SESSIONS[4]!.EndTimestamp}'`);

    // From scratch (watermarks reset): everything is a duplicate, totals unchanged.
    await db.connector.update({ where: { id: c.id }, data: { cursors: {} } });
    expect(await run(c.id)).toMatchObject({ status: "succeeded", accepted: 0, duplicates: CREDITS.length + TOKENS.length + END_TYPES.length });
    expect((await eventsOf(c.id, "agentforce.action")).length).toBe(CREDITS.length);
  });
});

describe("Agentforce presets", () => {
  test("a run that fails mid-query keeps what it stored; the next run resumes from the watermark, counting nothing twice", async () => {
    const o = await org("std");
    const c = await connection(o, ["flex_credits"]);
    // The third page (offset 4) fails on every attempt.
    o.state.failures.push({ match: "/rows?offset=4", status: 503, code: "SERVER_UNAVAILABLE", times: FAST.attempts });
    const failed = await run(c.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("SERVER_UNAVAILABLE");
    expect(failed).toMatchObject({ pages: 2, accepted: 4 });
    // Mid-query the watermark stops 1 ms short of the last stored row.
    expect((await db.connector.findUniqueOrThrow({ where: { id: c.id } })).cursors).toEqual({ flex_credits: new Date(minute(3).getTime() - 1).toISOString() });

    const resumed = await run(c.id);
    expect(resumed).toMatchObject({ status: "succeeded", accepted: 1, duplicates: 1 });
    expect(o.state.sql.at(-1)).toContain(`> TIMESTAMP WITH TIME ZONE '${new Date(minute(3).getTime() - 1).toISOString()}'`);
    const credits = await eventsOf(c.id, "agentforce.action");
    expect(credits.length).toBe(CREDITS.length);
    expect(credits.reduce((s, e) => s + Number(e.cost), 0).toFixed(10)).toBe((sum(CREDITS, "UnitsConsumed") * 0.005).toFixed(10));
  });

  test("tokens are priced from model prices when the org pays for them outside Flex Credits, and when the credits preset is off", async () => {
    await db.modelPrice.create({ data: { model: "llmgateway__GPT41", provider: "openai", inputPerMTok: "2", outputPerMTok: "8", effectiveFrom: new Date("2026-01-01T00:00:00Z") } });
    const expected = TOKENS.reduce((s, r) => s + Number(r.PromptInputTokenCount) * 2 + Number(r.PromptCompletionTokenCount) * 8, 0) / 1e6;
    for (const [presets, extra] of [[["flex_credits", "token_usage"], { tokensPaidSeparately: true }], [["token_usage"], {}]] as const) {
      const o = await org("ssot");
      const c = await connection(o, [...presets], extra);
      expect(await run(c.id)).toMatchObject({ status: "succeeded" });
      const tokens = await eventsOf(c.id, "llm.call");
      expect(tokens).toHaveLength(TOKENS.length);
      expect(tokens.every((e) => !e.unpriced && e.properties.cost_in_flex_credits === false)).toBe(true);
      expect(tokens.reduce((s, e) => s + Number(e.cost), 0).toFixed(10)).toBe(expected.toFixed(10));
    }
    // While credits are on (the default), the same tokens cost 0, deliberately (not "unpriced").
    const o = await org("ssot");
    const c = await connection(o, ["flex_credits", "token_usage"]);
    await run(c.id);
    const zero = await eventsOf(c.id, "llm.call");
    expect(zero.map((e) => [e.cost, e.unpriced])).toEqual(TOKENS.map(() => ["0.0000000000", false]));
  });

  test("a preset whose object the org lacks fails the run naming it; the credit rate is the connection's", async () => {
    const o = await org("dmo");
    o.state.absent.add("AiAgentGenerativeAiUsage");
    const c = await connection(o, ["flex_credits", "token_usage"]);
    const r = await run(c.id);
    expect(r.status).toBe("failed");
    expect(r.error).toBe("Agentforce token usage: no AiAgentGenerativeAiUsage object in this org (Data 360 and its Agentforce data needed)");
    expect(o.state.sql).toEqual([]); // failed before querying anything

    const rated = await connection(o, ["flex_credits"], { creditRate: { amount: "400", perCredits: 100_000 } });
    expect(await run(rated.id)).toMatchObject({ status: "succeeded", accepted: CREDITS.length });
    const credits = await eventsOf(rated.id, "agentforce.action");
    expect(credits.reduce((s, e) => s + Number(e.cost), 0).toFixed(10)).toBe(((sum(CREDITS, "UnitsConsumed") * 400) / 100_000).toFixed(10));
  });

  test("preview shows the resolved mapping and sample events, and stores nothing", async () => {
    const o = await org("dmo");
    const c = await connection(o, ALL);
    const p = await previewPresets(c, clientFor(c, FAST), ALL, { now: NOW, query: DATA360, sampleSize: 3 });
    expect(p.presets.map((x) => [x.preset, x.resolution.object, x.problem, x.sample.length])).toEqual([
      ["flex_credits", "TenantEnrichedUsageEvent__dlm", null, 3],
      ["token_usage", "std__AiAgentGenerativeAiUsageDmo__dlm", null, 3],
      ["sessions", "std__AiAgentSessionDmo__dlm", null, 3],
    ]);
    expect(p.presets[2]!.sample[0]).toMatchObject({ id: "sessions:s-0", agent: "Service_Agent", task: { status: "escalated" } });
    expect(o.state.sql.some((s) => s.endsWith("LIMIT 3"))).toBe(true);
    const stored = await pool.query("SELECT count(*)::int AS n FROM usage_events WHERE source = $1", [salesforceSource(c.id)]);
    expect(stored.rows[0].n).toBe(0);
    expect((await db.connector.findUniqueOrThrow({ where: { id: c.id } })).cursors).toEqual({});
  });
});

describe("one preset connection per org", () => {
  test("a second connection to the same org (same org id, even at another URL) is refused before reading; it can sync once the first is gone", async () => {
    const o = await org("std");
    const first = await connection(o, ["flex_credits"]);
    expect(await run(first.id)).toMatchObject({ status: "succeeded", accepted: CREDITS.length });
    expect((await db.connector.findUniqueOrThrow({ where: { id: first.id } })).externalAccount).toBe(o.state.orgId);

    // The same org reached through another host name (e.g. its instance URL instead of its My Domain).
    const alias = await org("std");
    alias.state.orgId = o.state.orgId;
    const second = await connection(alias, ["flex_credits", "sessions"]);
    const refused = await run(second.id);
    expect(refused.status).toBe("failed");
    expect(refused.error).toBe(`Salesforce org ${o.state.orgId} is already read by connection "${first.name}" (#${first.id}); a second connection would import its Agentforce records twice. Remove the presets from one of them.`);
    expect(alias.state.sql).toEqual([]);
    const stored = await pool.query("SELECT count(*)::int AS n FROM usage_events WHERE source = $1", [salesforceSource(second.id)]);
    expect(stored.rows[0].n).toBe(0);

    // Another org is not affected; once the first connection is gone, the second claims the org and syncs.
    const other = await connection(await org("std"), ["flex_credits"]);
    expect(await run(other.id)).toMatchObject({ status: "succeeded" });
    await db.connector.delete({ where: { id: first.id } });
    expect(await run(second.id)).toMatchObject({ status: "succeeded", accepted: CREDITS.length + END_TYPES.length });
  });
});

describe("OAuth 2.0 JWT bearer flow", () => {
  test("the org verifies the assertion's signature and claims; the private key is stored encrypted; a wrong key is refused", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const o = await org("ssot");
    o.state.jwt = { publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), clientId: "3MVG9-jwt", username: "integration@acme.example", audience: "https://login.salesforce.com" };
    const jwtSettings = { clientId: "3MVG9-jwt", auth: "jwt_bearer", username: "integration@acme.example", presets: ["flex_credits"] };
    const c = await db.connector.create({
      data: { name: "JWT org", provider: "salesforce", dataset: "consumption", baseUrl: o.url, apiKeyEncrypted: encryptSecret(pem), agentKey: "agentforce", backfillDays: 30, settings: jwtSettings },
    });
    expect(c.apiKeyEncrypted).not.toContain("PRIVATE KEY");
    expect(await run(c.id)).toMatchObject({ status: "succeeded", accepted: CREDITS.length });
    expect(o.state.assertions).toHaveLength(1);
    expect(o.state.assertions[0]).toMatchObject({ iss: "3MVG9-jwt", sub: "integration@acme.example", aud: "https://login.salesforce.com" });

    // Another certificate's key: the signature does not verify.
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    await db.connector.update({ where: { id: c.id }, data: { apiKeyEncrypted: encryptSecret(other), cursors: {} } });
    const refused = await run(c.id);
    expect(refused.status).toBe("failed");
    expect(refused.error).toBe("Salesforce authentication failed: invalid_grant (HTTP 400)");
    // A sandbox audience the app is not registered for.
    await db.connector.update({ where: { id: c.id }, data: { apiKeyEncrypted: encryptSecret(pem), settings: { ...jwtSettings, audience: "https://test.salesforce.com" } } });
    expect((await run(c.id)).error).toBe("Salesforce authentication failed: invalid_grant (HTTP 400)");
    expect(o.state.assertions).toHaveLength(1);
  });
});
