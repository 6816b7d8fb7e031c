// OTLP metrics against the running app: the official OpenTelemetry metric exporters (OTLP/HTTP JSON and protobuf,
// DELTA and CUMULATIVE) recording gen_ai.client.token.usage; totals checked against what the test recorded, costs
// against the price row computed here. Cumulative totals never count twice: re-sent, out of order, concurrent,
// after the app restarts, after an exporter restart (a new start time). The per-key usage source counts spans or
// points, never both.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import Decimal from "decimal.js";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { AggregationTemporalityPreference, OTLPMetricExporter as OTLPJsonMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as OTLPProtoMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { pool } from "@/lib/db";
import { expectRollupsMatchRebuild } from "@/lib/ingest/test-utils";
import { createApiKey } from "@/lib/auth/api-keys";
import { decodeStatus } from "@/lib/formats/otlp-status";
import { startAppServer, type AppServer } from "./helpers/app-server";

let app: AppServer;
const PRICE = { input: new Decimal("2.5"), output: new Decimal("10") }; // gpt-4o per million tokens, inserted below

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
  await pool.query(
    `INSERT INTO model_prices (model, provider, input_per_mtok, output_per_mtok, effective_from)
     VALUES ('gpt-4o', 'openai', $1, $2, '2024-01-01')`,
    [PRICE.input.toString(), PRICE.output.toString()],
  );
  app = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { JOBS_WORKER: "off", CONNECTOR_SCHEDULER: "off" } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

async function newKey(source: string, usageSource: "traces" | "metrics") {
  return (await createApiKey({ name: source, scopes: ["ingest"], source, usageSource, mayCreateEntities: true, mayWriteFinalized: true })).secret;
}

/** Totals over the raw events of a source, and the cost recomputed here from the price row. */
async function totals(source: string) {
  const { rows } = await pool.query(
    `SELECT e.input_tokens, e.output_tokens, e.quantity, e.computed_cost, e.type, e.model, e.properties, a.key AS agent
     FROM usage_events e JOIN agents a ON a.id = e.agent_id WHERE e.source = $1`,
    [source],
  );
  let input = 0;
  let output = 0;
  let calls = new Decimal(0);
  let cost = new Decimal(0);
  for (const r of rows) {
    input += Number(r.input_tokens);
    output += Number(r.output_tokens);
    calls = calls.plus(r.quantity);
    cost = cost.plus(r.computed_cost ?? 0);
  }
  const expectedCost = PRICE.input.times(input).plus(PRICE.output.times(output)).div(1_000_000);
  return { events: rows.length, input, output, calls: calls.toNumber(), costMatches: cost.equals(expectedCost), rows };
}

function meter(format: "json" | "protobuf", temporality: "delta" | "cumulative", key: string, service: string) {
  const Exporter = format === "json" ? OTLPJsonMetricExporter : OTLPProtoMetricExporter;
  const exporter = new Exporter({
    url: `${app.baseUrl}/api/v1/otlp/v1/metrics`,
    headers: { authorization: `Bearer ${key}` },
    temporalityPreference: temporality === "delta" ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE,
  });
  // Exports only when the test flushes.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ "service.name": service }), readers: [reader] });
  const m = provider.getMeter("genai-instrumentation", "1.0.0");
  const tokens = m.createHistogram("gen_ai.client.token.usage", { unit: "{token}" });
  const duration = m.createHistogram("gen_ai.client.operation.duration", { unit: "s" });
  const requests = m.createCounter("http.client.requests");
  const base = { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o", "server.address": "api.openai.com" };
  return {
    call(input: number, output: number) {
      tokens.record(input, { ...base, "gen_ai.token.type": "input" });
      tokens.record(output, { ...base, "gen_ai.token.type": "output" });
      duration.record(0.42, base);
      requests.add(1);
    },
    flush: () => reader.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

describe("OpenTelemetry metric exporters, gen_ai.client.token.usage", () => {
  for (const format of ["json", "protobuf"] as const) {
    for (const temporality of ["delta", "cumulative"] as const) {
      test(`OTLP/${format}, ${temporality}: each call's tokens counted once, priced like spans, other metrics ignored`, async () => {
        const source = `m-${format}-${temporality}`;
        const exporter = meter(format, temporality, await newKey(source, "metrics"), `agent-${source}`);
        exporter.call(600, 120);
        exporter.call(400, 80);
        await exporter.flush();
        expect(await totals(source)).toMatchObject({ input: 1000, output: 200, calls: 2, costMatches: true });
        exporter.call(300, 50);
        await exporter.flush();
        // Nothing new: a cumulative exporter re-sends the same totals, a delta one sends nothing.
        await exporter.flush();
        await exporter.flush();
        const t = await totals(source);
        expect(t).toMatchObject({ input: 1300, output: 250, calls: 3, costMatches: true });
        for (const row of t.rows) {
          expect(row).toMatchObject({ agent: `agent-${source}`, type: "gen_ai.chat", model: "gpt-4o" });
          expect(row.properties).toMatchObject({ provider: "openai", source_metric: "gen_ai.client.token.usage", server_address: "api.openai.com", aggregate: true });
        }
        // Nothing but the token metric became an event (a duration or a counter has no tokens).
        expect(t.rows.every((r) => ["input", "output"].includes(r.properties.token_type))).toBe(true);
        await exporter.shutdown();
      });
    }
  }

  test("an exporter restart (new start time) counts its new totals; the old run's totals are not counted again", async () => {
    const source = "m-restart-exporter";
    const key = await newKey(source, "metrics");
    const first = meter("protobuf", "cumulative", key, "agent-restart");
    first.call(500, 100);
    await first.flush();
    await first.shutdown();
    const second = meter("protobuf", "cumulative", key, "agent-restart");
    second.call(70, 7);
    await second.flush();
    await second.flush();
    expect(await totals(source)).toMatchObject({ input: 570, output: 107, calls: 2, costMatches: true });
    await second.shutdown();
  });
});

/** A cumulative OTLP/JSON point of gen_ai.client.token.usage (times in seconds since 2026-11-01). */
function cumulativeBody(points: { start: number; time: number; sum: number; count: number }[], type = "input") {
  const t0 = 1_793_491_200n; // 2026-11-01T00:00:00Z
  const ns = (s: number) => ((t0 + BigInt(s)) * 1_000_000_000n).toString();
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "agent-by-hand" } }] },
        scopeMetrics: [
          {
            scope: { name: "by-hand" },
            metrics: [
              {
                name: "gen_ai.client.token.usage",
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: points.map((p) => ({
                    startTimeUnixNano: ns(p.start),
                    timeUnixNano: ns(p.time),
                    count: String(p.count),
                    sum: p.sum,
                    attributes: [
                      { key: "gen_ai.token.type", value: { stringValue: type } },
                      { key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } },
                    ],
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

describe("cumulative state in PostgreSQL", () => {
  test("re-sent, concurrent, out-of-order and after an app restart: each interval counts once; a reset counts the new run", async () => {
    const source = "m-by-hand";
    const key = await newKey(source, "metrics");
    const post = (body: string) =>
      fetch(`${app.baseUrl}/api/v1/otlp/v1/metrics`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body });
    const p1 = cumulativeBody([{ start: 0, time: 60, sum: 100, count: 1 }]);
    const p2 = cumulativeBody([{ start: 0, time: 120, sum: 250, count: 3 }]);
    expect((await post(p1)).status).toBe(200);
    // Four copies of the next point at once (two instances of a retrying exporter).
    const concurrent = await Promise.all([post(p2), post(p2), post(p2), post(p2)]);
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await totals(source)).toMatchObject({ input: 250, calls: 3 });
    // The first point again, late: inside what was counted.
    await post(p1);
    expect(await totals(source)).toMatchObject({ input: 250, calls: 3 });

    // The app restarts: state is in the database, so the same point is still a duplicate.
    await app.stop();
    app = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { JOBS_WORKER: "off", CONNECTOR_SCHEDULER: "off" } });
    expect((await post(p2)).status).toBe(200);
    expect(await totals(source)).toMatchObject({ input: 250, calls: 3 });

    // Next point, then a reset (new start time), then a total that drops without a new start (an unmarked reset).
    await post(cumulativeBody([{ start: 0, time: 180, sum: 400, count: 4 }]));
    await post(cumulativeBody([{ start: 200, time: 240, sum: 30, count: 1 }]));
    await post(cumulativeBody([{ start: 200, time: 300, sum: 10, count: 1 }]));
    expect(await totals(source)).toMatchObject({ input: 400 + 30 + 10, calls: 4 + 1 + 1, costMatches: true });
    // Several points of one series in one request, newest first: each interval once.
    await post(cumulativeBody([{ start: 200, time: 420, sum: 60, count: 3 }, { start: 200, time: 360, sum: 25, count: 2 }]));
    expect(await totals(source)).toMatchObject({ input: 440 + 50, calls: 6 + 2 });
  }, 120_000);

  test("bad points are reported in partialSuccess and change nothing; a bad body is a google.rpc.Status", async () => {
    const source = "m-bad";
    const key = await newKey(source, "metrics");
    const headers = (contentType: string) => ({ authorization: `Bearer ${key}`, "content-type": contentType });
    const noSum = JSON.parse(cumulativeBody([{ start: 0, time: 60, sum: 5, count: 1 }]));
    delete noSum.resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].sum;
    const res = await fetch(`${app.baseUrl}/api/v1/otlp/v1/metrics`, { method: "POST", headers: headers("application/json"), body: JSON.stringify(noSum) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ partialSuccess: { rejectedDataPoints: 1, errorMessage: "data point 0: sum: required, a whole number of tokens ≥ 0" } });
    const bad = await fetch(`${app.baseUrl}/api/v1/otlp/v1/metrics`, { method: "POST", headers: headers("application/x-protobuf"), body: new Uint8Array([0x0a, 0x05, 0x01]) });
    expect(bad.status).toBe(400);
    expect(decodeStatus(new Uint8Array(await bad.arrayBuffer()))).toEqual({ code: 3, message: "Body is not a valid OTLP ExportMetricsServiceRequest" });
    expect((await fetch(`${app.baseUrl}/api/v1/otlp/v1/metrics`, { method: "POST", headers: headers("text/plain"), body: "x" })).status).toBe(415);
    expect((await fetch(`${app.baseUrl}/api/v1/otlp/v1/metrics`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(401);
    expect((await totals(source)).events).toBe(0);
    expect((await pool.query("SELECT count(*)::int AS n FROM otlp_metric_series WHERE source = $1", [source])).rows[0].n).toBe(0);
  });
});

describe("per-key usage source", () => {
  test("a source sending spans and metrics for the same calls is counted once, from the signal its key names", async () => {
    const source = "m-both";
    const key = await newKey(source, "traces");
    const metrics = meter("json", "cumulative", key, "agent-both");
    const tracer = new NodeTracerProvider({
      resource: resourceFromAttributes({ "service.name": "agent-both" }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${app.baseUrl}/api/v1/otlp/v1/traces`, headers: { authorization: `Bearer ${key}` } }))],
    });
    const call = async (input: number, output: number) => {
      metrics.call(input, output);
      tracer
        .getTracer("t")
        .startSpan("chat gpt-4o", { attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": input, "gen_ai.usage.output_tokens": output } })
        .end();
      await tracer.forceFlush();
      await metrics.flush();
    };
    await call(1000, 100);
    // Traces count; the metric points are accepted and not counted.
    expect(await totals(source)).toMatchObject({ input: 1000, output: 100, calls: 1 });
    expect((await totals(source)).rows.every((r) => r.properties.source_metric === undefined)).toBe(true);

    await pool.query("UPDATE api_keys SET usage_source = 'metrics' WHERE source = $1", [source]);
    await call(200, 20);
    // Now only the metrics' new part counts (not the cumulative totals traces already counted), and no span.
    expect(await totals(source)).toMatchObject({ input: 1200, output: 120, calls: 2, costMatches: true });
    expect((await pool.query("SELECT count(*)::int AS n FROM trace_spans WHERE source = $1", [source])).rows[0].n).toBe(1);
    await metrics.shutdown();
    await tracer.shutdown();
  });
});

test("rollups equal the raw events after all of the above", async () => {
  await expectRollupsMatchRebuild();
});
