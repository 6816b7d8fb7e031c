// Real clients against the running app: the CloudEvents SDK (binary, structured, batched) and the official
// OpenTelemetry exporters (OTLP/HTTP JSON and protobuf) sending GenAI spans; idempotency across formats;
// a streamed file import over HTTP with its error report.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CloudEvent, HTTP, Mode, emitterFor, type Message } from "cloudevents";
import { OTLPTraceExporter as OTLPJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { decodeStatus } from "@/lib/formats/otlp-status";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SpanKind } from "@opentelemetry/api";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { db, pool } from "@/lib/db";
import { encryptSecret } from "@/lib/connectors/crypto";
import { createApiKey } from "@/lib/auth/api-keys";
import { startAppServer, type AppServer } from "./helpers/app-server";

let app: AppServer;
let key = "";
let source = "";

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
  await pool.query(
    `INSERT INTO model_prices (model, provider, input_per_mtok, output_per_mtok, cache_read_per_mtok, effective_from)
     VALUES ('gpt-4o', 'openai', 2.5, 10, 1.25, '2024-01-01')`,
  );
  const created = await createApiKey({ name: "formats", scopes: ["ingest"], source: "formats-src", mayCreateEntities: true, mayWriteFinalized: true });
  key = created.secret;
  source = "formats-src";
  // The server's job worker runs (instrumentation.ts), for the connector test at the end.
  app = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { CONNECTOR_SCHEDULER: "on", JOBS_POLL_SECONDS: "0.5" } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

async function event(id: string) {
  const r = await pool.query("SELECT e.*, a.key AS agent_key FROM usage_events e JOIN agents a ON a.id = e.agent_id WHERE e.source = $1 AND e.event_key = $2", [source, id]);
  return r.rows[0];
}

/** The SDK's message (headers + body) posted with the API key. */
async function post(path: string, message: Message) {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method: "POST",
    headers: { ...(message.headers as Record<string, string>), authorization: `Bearer ${key}` },
    body: message.body as string,
  });
  return { status: res.status, body: await res.json() };
}

describe("CloudEvents SDK", () => {
  const ce = (id: string, data: Record<string, unknown>) =>
    new CloudEvent({ id, source: "/agents/triage", type: "agent.action", subject: "triage-bot", time: "2026-11-01T10:00:00Z", datacontenttype: "application/json", data, tenant: "acme" });

  test("binary mode, through the SDK emitter", async () => {
    const responses: unknown[] = [];
    const emit = emitterFor(async (message) => responses.push(await post("/api/v1/cloudevents", message)), { binding: HTTP, mode: Mode.BINARY });
    await emit(ce("ce-bin-1", { quantity: 3, cost: { amount: "0.25", currency: "USD" } }));
    expect(responses[0]).toEqual({ status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } });
    expect(await event("/agents/triage ce-bin-1")).toMatchObject({ agent_key: "triage-bot", type: "agent.action", quantity: "3.000000", reported_cost: "0.2500000000", properties: { ce_source: "/agents/triage", tenant: "acme" } });
  });

  test("structured mode; the same event again is a duplicate", async () => {
    const responses: { status: number; body: unknown }[] = [];
    const emit = emitterFor(async (message) => responses.push(await post("/api/v1/cloudevents", message)), { binding: HTTP, mode: Mode.STRUCTURED });
    await emit(ce("ce-str-1", { model: "gpt-4o", tokens: { input: 1000, output: 100 } }));
    await emit(ce("ce-str-1", { model: "gpt-4o", tokens: { input: 1000, output: 100 } }));
    expect(responses.map((r) => r.body)).toEqual([{ accepted: 1, duplicates: 0, rejected: [] }, { accepted: 0, duplicates: 1, rejected: [] }]);
    expect(await event("/agents/triage ce-str-1")).toMatchObject({ model: "gpt-4o", input_tokens: "1000", computed_cost: "0.0035000000" });
  });

  test("batched mode: SDK-built events in one array, invalid ones reported by index", async () => {
    const events = [ce("ce-bat-1", {}), ce("ce-bat-2", { quantity: -1 }), ce("ce-bat-3", { customer: "acme" })].map((e) => e.toJSON());
    events.splice(1, 0, { specversion: "1.0", id: "no-time", source: "/x", type: "t" } as never);
    const res = await post("/api/v1/cloudevents", { headers: { "content-type": "application/cloudevents-batch+json" }, body: JSON.stringify(events) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: [{ index: 1, id: "no-time" }, { index: 2, id: "ce-bat-2" }] });
  });

  test("wrong content type is 415, missing key 401", async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/cloudevents`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "text/plain" }, body: "x" });
    expect(res.status).toBe(415);
    expect((await fetch(`${app.baseUrl}/api/v1/cloudevents`, { method: "POST" })).status).toBe(401);
  });
});

describe("OTLP exporters with GenAI spans", () => {
  for (const [name, Exporter] of [["json", OTLPJsonExporter], ["protobuf", OTLPProtoExporter]] as const) {
    test(`OTLP/HTTP ${name}: GenAI spans stored, other spans ignored`, async () => {
      const exporter = new Exporter({ url: `${app.baseUrl}/api/v1/otlp/v1/traces`, headers: { authorization: `Bearer ${key}` } });
      const provider = new NodeTracerProvider({
        resource: resourceFromAttributes({ "service.name": `svc-${name}` }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      const tracer = provider.getTracer("test");
      const chat = tracer.startSpan("chat gpt-4o", {
        kind: SpanKind.CLIENT,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.agent.name": `agent-${name}`,
          "gen_ai.usage.input_tokens": 1200,
          "gen_ai.usage.cache_read.input_tokens": 200,
          "gen_ai.usage.output_tokens": 300,
        },
      });
      const chatId = chat.spanContext().spanId;
      chat.end();
      const legacy = tracer.startSpan("legacy", { attributes: { "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.prompt_tokens": 10, "gen_ai.usage.completion_tokens": 5, "gen_ai.usage.cost.amount": 0.5 } });
      const legacyId = legacy.spanContext().spanId;
      legacy.end();
      const http = tracer.startSpan("GET /health", { attributes: { "http.request.method": "GET" } });
      const httpId = http.spanContext().spanId;
      http.end();
      await provider.forceFlush();
      await provider.shutdown();

      expect(await event(chatId)).toMatchObject({
        agent_key: `agent-${name}`,
        type: "gen_ai.chat",
        model: "gpt-4o",
        input_tokens: "1000",
        cache_read_tokens: "200",
        output_tokens: "300",
        reported_cost: null,
        computed_cost: "0.0057500000",
        properties: { provider: "openai", operation: "chat", service: `svc-${name}` },
      });
      expect(await event(legacyId)).toMatchObject({ agent_key: `svc-${name}`, input_tokens: "10", output_tokens: "5", reported_cost: "0.5000000000", cost: "0.5000000000" });
      expect(await event(httpId)).toBeUndefined();
    });
  }

  test("JSON response carries partialSuccess for GenAI spans that fail validation", async () => {
    const body = {
      resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [{ spanId: "aaaaaaaaaaaaaaaa", startTimeUnixNano: "4102444800000000000", attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "chat" } }] }] }] }],
    };
    const res = await fetch(`${app.baseUrl}/api/v1/otlp/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ partialSuccess: { rejectedSpans: 1 } });
  });

  test("failures answer with a google.rpc.Status in the request's encoding (protobuf or JSON)", async () => {
    const traces = (headers: Record<string, string>, body: BodyInit) => fetch(`${app.baseUrl}/api/v1/otlp/v1/traces`, { method: "POST", headers, body });
    const bad = await traces({ authorization: `Bearer ${key}`, "content-type": "application/x-protobuf" }, new Uint8Array([0x0a, 0x05, 0x01]));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/x-protobuf");
    expect(decodeStatus(new Uint8Array(await bad.arrayBuffer()))).toEqual({ code: 3, message: "Body is not a valid OTLP ExportTraceServiceRequest" });
    const anonymous = await traces({ "content-type": "application/x-protobuf" }, new Uint8Array());
    expect(anonymous.status).toBe(401);
    expect(decodeStatus(new Uint8Array(await anonymous.arrayBuffer()))).toMatchObject({ code: 16 });
    const badJson = await traces({ authorization: `Bearer ${key}`, "content-type": "application/json" }, "{");
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ code: 3, message: expect.stringMatching(/^Request body is not valid JSON/) });
  });

  test("logs sent to the base endpoint are accepted and ignored", async () => {
    const before = (await pool.query("SELECT count(*)::int AS n FROM usage_events")).rows[0].n;
    const logs = (contentType: string, body: BodyInit) =>
      fetch(`${app.baseUrl}/api/v1/otlp/v1/logs`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": contentType }, body });
    const json = await logs("application/json", JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: "hello" } }] }] }] }));
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({});
    const proto = await logs("application/x-protobuf", new Uint8Array([0x0a, 0x00]));
    expect(proto.status).toBe(200);
    expect((await proto.arrayBuffer()).byteLength).toBe(0);
    expect((await logs("text/plain", "x")).status).toBe(415);
    expect((await pool.query("SELECT count(*)::int AS n FROM usage_events")).rows[0].n).toBe(before);
  });
});

describe("idempotency across formats", () => {
  test("the same id via the JSON API and a file import counts once; a CloudEvent's identity is source + id", async () => {
    const json = { id: "shared-1", timestamp: "2026-11-02T09:00:00Z", agent: "x", type: "agent.action" };
    const r1 = await fetch(`${app.baseUrl}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ events: [json] }) });
    expect(await r1.json()).toMatchObject({ accepted: 1 });
    const structured = (id: string, ceSource: string) => ({
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify({ specversion: "1.0", id, source: ceSource, type: "agent.action", time: "2026-11-02T09:00:00Z", subject: "x" }),
    });
    // Two producers that happen to use the same id are two events (CloudEvents 1.0: identity is source + id).
    expect((await post("/api/v1/cloudevents", structured("shared-1", "/a"))).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await post("/api/v1/cloudevents", structured("shared-1", "/b"))).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await post("/api/v1/cloudevents", structured("shared-1", "/b"))).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const r3 = await fetch(`${app.baseUrl}/api/v1/imports?fileName=dup.ndjson`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
      body: `${JSON.stringify(json)}\n${JSON.stringify({ ...json, id: "shared-2", timestamp: "bad" })}\n`,
    });
    const job = await r3.json();
    expect(job).toMatchObject({ status: "succeeded", rows: 2, accepted: 0, duplicates: 1, rejected: 1 });
    const report = await fetch(`${app.baseUrl}${job.errorReportUrl}`, { headers: { authorization: `Bearer ${key}` } });
    expect(report.headers.get("content-type")).toContain("text/csv");
    expect(await report.text()).toMatch(/^row,id,errors\r\n2,shared-2,"timestamp: /);
    const n = await pool.query("SELECT event_key FROM usage_events WHERE source = $1 AND event_key LIKE '%shared-1' ORDER BY event_key", [source]);
    expect(n.rows.map((r) => r.event_key)).toEqual(["/a shared-1", "/b shared-1", "shared-1"]);
  });

  test("a retry of a CloudEvent stored under its old key (id alone, before source + id) is still a duplicate", async () => {
    // As stored before the identity change: key = id, the CloudEvents source in properties.ce_source.
    const legacy = { id: "legacy-1", timestamp: "2026-11-03T09:00:00Z", agent: "x", type: "agent.action", properties: { ce_source: "/old" } };
    const r1 = await fetch(`${app.baseUrl}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ events: [legacy] }) });
    expect(await r1.json()).toMatchObject({ accepted: 1 });
    const retry = (ceSource: string) => post("/api/v1/cloudevents", {
      headers: { "content-type": "application/cloudevents-batch+json" },
      body: JSON.stringify([{ specversion: "1.0", id: "legacy-1", source: ceSource, type: "agent.action", time: "2026-11-03T09:00:00Z", subject: "x" }]),
    });
    expect((await retry("/old")).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    // The same id from another source was never stored: it is a new event.
    expect((await retry("/new")).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const n = await pool.query("SELECT count(*)::int AS n FROM usage_events WHERE source = $1 AND event_key LIKE '%legacy-1'", [source]);
    expect(n.rows[0].n).toBe(2);
  });
});

describe("CloudEvents binary mode, by hand (HTTP binding MUST rules)", () => {
  const headers = (id: string, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${key}`, "ce-specversion": "1.0", "ce-id": id, "ce-source": "/hand", "ce-type": "agent.action", "ce-subject": "hand-bot", ...extra,
  });

  test("an event with no data: empty body, with or without Content-Type; no time = time of receipt", async () => {
    const before = Date.now();
    for (const [id, extra] of [["nodata-1", {}], ["nodata-2", { "content-type": "application/json" }]] as const) {
      const res = await fetch(`${app.baseUrl}/api/v1/cloudevents`, { method: "POST", headers: headers(id, extra) });
      expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    }
    const stored = await event("/hand nodata-1");
    expect(stored.properties).toEqual({ ce_source: "/hand", ce_time_missing: true });
    expect(stored.timestamp.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  test("quoted header values are unquoted; invalid UTF-8 percent-encoding is rejected and nothing is stored", async () => {
    const ok = await fetch(`${app.baseUrl}/api/v1/cloudevents`, { method: "POST", headers: headers("quoted-1", { "ce-time": '"2026-11-04T10:00:00Z"', "ce-team": '"north%20east"' }) });
    expect(await ok.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await event("/hand quoted-1")).properties).toEqual({ ce_source: "/hand", team: "north east" });
    const bad = await fetch(`${app.baseUrl}/api/v1/cloudevents`, { method: "POST", headers: headers("utf8-1", { "ce-team": "a%C0%A0b", "ce-time": "2026-11-04T10:00:00Z" }) });
    expect(await bad.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [{ index: 0, id: "utf8-1", errors: ["ce-team: not valid percent-encoded UTF-8"] }] });
    expect(await event("/hand utf8-1")).toBeUndefined();
  });
});

describe("scheduler", () => {
  test("the server's job worker runs a due connector on its own", { timeout: 150_000 }, async () => {
    const fixture = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"object":"page","data":[],"has_more":false,"next_page":null}'));
    await new Promise<void>((r) => fixture.listen(0, "127.0.0.1", r));
    try {
      const c = await db.connector.create({
        data: { name: "due", provider: "openai", dataset: "costs", baseUrl: `http://127.0.0.1:${(fixture.address() as AddressInfo).port}`, apiKeyEncrypted: encryptSecret("sk"), agentKey: "openai-org" },
      });
      // The per-minute "connectors.tick" job finds it: within about a minute and the queue's 30 s cron check.
      const deadline = Date.now() + 120_000;
      let run = null;
      while (!run && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        run = await db.connectorRun.findFirst({ where: { connectorId: c.id, status: "succeeded" } });
      }
      expect(run).toMatchObject({ status: "succeeded", pages: 1 });
      expect((await db.connector.findUniqueOrThrow({ where: { id: c.id } })).nextRunAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    } finally {
      await new Promise((r) => fixture.close(r));
    }
  });
});
