// Session Trace OTel fetch against the fake org (shapes cited in tests/helpers/fake-data360-org.ts): sessions the
// sessions preset reads that started within 72 hours get their OTLP trace ingested through the OTLP traces path,
// counted once and idempotent by span id; while the token preset is on, the trace's LLM spans add no tokens or cost.
import "@/tests/helpers/allow-loopback-http";
import { afterAll, beforeAll, expect, test } from "vitest";
import { encryptSecret } from "@/lib/connectors/crypto";
import { claim, runClaimed } from "@/lib/connectors/run";
import { salesforceSource } from "@/lib/connectors/salesforce/connection";
import type { Preset } from "@/lib/connectors/salesforce/schemas";
import { db, pool } from "@/lib/db";
import { startFakeOrg, type FakeOrg, type LogicalRow } from "@/tests/helpers/fake-data360-org";
import { otlpJson, type Dumped } from "@/tests/helpers/otel-genai";

const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const DATA360 = { pageSize: 2, pollMs: 5, maxWaitMs: 5_000 };
const NOW = new Date("2026-12-02T00:00:00Z");

const session = (id: string, start: string): LogicalRow => ({ Id: id, StartTimestamp: start, EndTimestamp: new Date(Date.parse(start) + 300_000).toISOString(), AiAgentChannelType: "Messaging", AiAgentSessionEndType: "Resolved", RelatedMessagingSessionId: null, RelatedVoiceCallId: null });
const SESSIONS = [session("0Xr-old", "2026-11-25T10:00:00.000Z"), session("0Xr-recent", "2026-12-01T10:00:00.000Z"), session("0Xr-untraced", "2026-12-01T11:00:00.000Z")];

/** LLM calls of the recent session: [input, output]. The agent span repeats their sum (an aggregate, not counted). */
const CALLS: [number, number][] = [[1200, 300], [500, 100]];
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const span = (spanId: string, parent: string | null, i: number, attributes: Dumped["attributes"]): Dumped => ({ traceId: TRACE, spanId, parentSpanId: parent, name: String(attributes["gen_ai.operation.name"]), start: BigInt(Date.parse("2026-12-01T10:00:00Z") + i * 1000) * 1_000_000n, end: BigInt(Date.parse("2026-12-01T10:00:00Z") + i * 1000 + 900) * 1_000_000n, attributes, resource: { "service.name": "agentforce" } });
const sumIn = CALLS.reduce((s, c) => s + c[0], 0);
const sumOut = CALLS.reduce((s, c) => s + c[1], 0);
const SPANS: Dumped[] = [
  span("a000000000000001", null, 0, { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "Service_Agent", "gen_ai.usage.input_tokens": sumIn, "gen_ai.usage.output_tokens": sumOut }),
  ...CALLS.map(([input, output], i) => span(`c00000000000000${i + 1}`, "a000000000000001", i + 1, { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "llmgateway__GPT41", "gen_ai.usage.input_tokens": input, "gen_ai.usage.output_tokens": output })),
  span("e000000000000001", "a000000000000001", 3, { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "Create_Case" }),
];
const TOKENS: LogicalRow[] = CALLS.map(([input, output], i) => ({
  Id: `gai-${i}`, EventTimestamp: `2026-12-01T10:00:0${i + 1}.000Z`, AgentDeveloperName: "Service_Agent", AgentIdentifier: "0Xx1", AgentTypeCode: "EinsteinServiceAgent", AiAgentSessionId: "0Xr-recent", AiAgentInteractionId: `int-${i}`,
  AiAgentToolName: null, GenAiGatewayModelName: "llmgateway__GPT41", ModelProviderName: "OpenAI", PromptInputTokenCount: input, PromptCompletionTokenCount: output, IsBillableIndicator: true, IsMeteredIndicator: true, MeteringSkipReasonCode: null,
}));

const orgs: FakeOrg[] = [];
beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
});
afterAll(async () => {
  await Promise.all(orgs.map((o) => o.close()));
});

async function setup(presets: Preset[]) {
  const o = await startFakeOrg("ssot");
  orgs.push(o);
  o.state.rows = { AiAgentSession: SESSIONS, AiAgentGenerativeAiUsage: TOKENS, TenantEnrichedUsageEvent: [] };
  o.state.absent.add("AiAgentSessionParticipant");
  // The old session's trace exists but is outside the API's 72 hours: it must not be asked for.
  o.state.traces = { "0Xr-recent": otlpJson(SPANS), "0Xr-old": otlpJson(SPANS) };
  const c = await db.connector.create({
    data: { name: "Traces", provider: "salesforce", dataset: "consumption", baseUrl: o.url, apiKeyEncrypted: encryptSecret("af-secret"), agentKey: "agentforce", backfillDays: 30, settings: { clientId: "3MVG9-af", presets } },
  });
  return { o, c };
}

async function run(id: number) {
  expect(await claim(id, false)).toBe(true);
  return db.connectorRun.findUniqueOrThrow({ where: { id: await runClaimed(id, { retry: FAST, now: NOW, data360: DATA360 }) } });
}

async function totals(connectorId: number) {
  const r = await pool.query(
    `SELECT count(*) FILTER (WHERE type LIKE 'gen\\_ai.%')::int AS spans, coalesce(sum(input_tokens), 0)::int AS input, coalesce(sum(output_tokens), 0)::int AS output,
            coalesce(sum(cost) FILTER (WHERE type LIKE 'gen\\_ai.%'), 0)::float AS "traceCost", count(*) FILTER (WHERE type = 'agentforce.session')::int AS sessions
       FROM usage_events WHERE source = $1`,
    [salesforceSource(connectorId)],
  );
  return r.rows[0];
}

test("with the token preset on, the session's trace adds its calls but no tokens or cost; a re-sync changes nothing", async () => {
  const { o, c } = await setup(["flex_credits", "token_usage", "sessions"]);
  expect(await run(c.id)).toMatchObject({ status: "succeeded", rejected: 0 });
  expect(o.state.traceRequests.sort()).toEqual(["0Xr-recent", "0Xr-untraced"]);
  // Tokens are the token preset's alone; the trace's two LLM calls and its tool call are events (the agent span, an aggregate, is not).
  const first = await totals(c.id);
  expect(first).toEqual({ spans: 3, input: sumIn, output: sumOut, traceCost: 0, sessions: SESSIONS.length });
  const traced = await pool.query("SELECT agent_id, properties FROM usage_events WHERE source = $1 AND type = 'gen_ai.chat'", [salesforceSource(c.id)]);
  expect(traced.rows.every((r) => r.properties.salesforce_session_id === "0Xr-recent" && r.properties.tokens_counted_by === "token_usage")).toBe(true);

  // Again from scratch (watermarks reset): sessions re-read, traces re-fetched, every span a duplicate.
  await db.connector.update({ where: { id: c.id }, data: { cursors: {} } });
  expect(await run(c.id)).toMatchObject({ status: "succeeded", accepted: 0 });
  expect(await totals(c.id)).toEqual(first);
});

test("without the token preset, the trace's tokens count once (the LLM calls, not the agent span's aggregate)", async () => {
  const { c } = await setup(["sessions"]);
  expect(await run(c.id)).toMatchObject({ status: "succeeded", rejected: 0 });
  const first = await totals(c.id);
  expect(first).toMatchObject({ spans: 3, input: sumIn, output: sumOut, sessions: SESSIONS.length });
  await db.connector.update({ where: { id: c.id }, data: { cursors: {} } });
  expect(await run(c.id)).toMatchObject({ status: "succeeded", accepted: 0 });
  expect(await totals(c.id)).toEqual(first);
});

test("a trace fetch that fails keeps the sessions' watermark, so the next run fetches it again", async () => {
  const { o, c } = await setup(["sessions"]);
  o.state.failures.push({ match: "/einstein/audit/otel/0Xr-recent", status: 503, code: "SERVER_UNAVAILABLE", times: FAST.attempts });
  const failed = await run(c.id);
  expect(failed.status).toBe("failed");
  expect((await totals(c.id)).spans).toBe(0);
  expect(await run(c.id)).toMatchObject({ status: "succeeded" });
  expect(await totals(c.id)).toMatchObject({ spans: 3, input: sumIn, output: sumOut, sessions: SESSIONS.length });
});
