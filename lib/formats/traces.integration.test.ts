// Agent traces counted once, on recorded traces (tests/fixtures/otel-genai, real any-agent and OpenInference runs;
// provenance in its README). The SDK span dumps are converted to OTLP/JSON and OTLP/protobuf requests here, then
// ingested whole and split across requests in shuffled order: usage equals an independent sum over the leaf
// spans' usage attributes, attributed to the agent; re-sent spans change nothing; two concurrent requests of one
// trace do not double count; a late span after the trace settled is an adjustment; rollups equal raw events.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import generated from "@opentelemetry/otlp-transformer/build/src/generated/root";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { expectRollupsMatchRebuild } from "@/lib/ingest/test-utils";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";
import { collectSpans, decodeProtobuf, type TracesRequest } from "./otlp";
import { desiredCounts, ingestTraces, settleTraces } from "./traces";

const FIXTURES = path.join(process.cwd(), "tests/fixtures/otel-genai");
type Attr = string | number | boolean | null | Attr[];
/** A span as both dumps reduce to: hex ids, nanosecond start, flat attributes, resource attributes. */
type Dumped = { traceId: string; spanId: string; parentSpanId: string | null; name: string; start: bigint; end: bigint; attributes: Record<string, Attr>; resource: Record<string, Attr> };

const hex = (n: bigint | number, bytes: number) => BigInt(n).toString(16).padStart(bytes * 2, "0");

/** any-agent dumps (Python SDK span.to_json): integer ids, nanosecond times, resource per span. */
function anyAgent(file: string): Dumped[] {
  // Integer ids exceed 2^53: read them as strings before JSON.parse rounds them.
  const text = readFileSync(path.join(FIXTURES, file), "utf8").replace(/"(trace_id|span_id)": (\d+)/g, '"$1": "$2"');
  type Raw = { name: string; context: { trace_id: string; span_id: string }; parent: { span_id: string | null } | null; start_time: number; end_time: number; attributes: Record<string, Attr>; resource: { attributes: Record<string, Attr> } };
  return (JSON.parse(text) as { spans: Raw[] }).spans.map((s) => ({
    traceId: hex(BigInt(s.context.trace_id), 16),
    spanId: hex(BigInt(s.context.span_id), 8),
    parentSpanId: s.parent?.span_id ? hex(BigInt(s.parent.span_id), 8) : null,
    name: s.name,
    start: BigInt(Math.round(s.start_time / 1000)) * 1000n,
    end: BigInt(Math.round(s.end_time / 1000)) * 1000n,
    attributes: s.attributes,
    resource: s.resource.attributes,
  }));
}

/** OpenInference's Vercel AI SDK capture (JS ReadableSpan): hex ids, [seconds, nanos] times, no resource. */
function openInference(file: string): Dumped[] {
  type Raw = { name: string; spanContext: { traceId: string; spanId: string }; parentSpanId?: string; startTime: [number, number]; endTime: [number, number]; attributes: Record<string, Attr> };
  return (JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8")) as Raw[]).map((s) => ({
    traceId: s.spanContext.traceId,
    spanId: s.spanContext.spanId,
    parentSpanId: s.parentSpanId ?? null,
    name: s.name,
    start: BigInt(s.startTime[0]) * 1_000_000_000n + BigInt(s.startTime[1]),
    end: BigInt(s.endTime[0]) * 1_000_000_000n + BigInt(s.endTime[1]),
    attributes: s.attributes,
    resource: { "service.name": "vercel-app" },
  }));
}

type AnyValue = { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean; arrayValue?: { values: AnyValue[] } };
const anyValue = (v: Attr): AnyValue =>
  typeof v === "string" ? { stringValue: v }
  : typeof v === "boolean" ? { boolValue: v }
  : typeof v === "number" ? (Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v })
  : Array.isArray(v) ? { arrayValue: { values: v.map(anyValue) } }
  : { stringValue: "" };
const keyValues = (attrs: Record<string, Attr>) => Object.entries(attrs).filter(([, v]) => v !== null).map(([key, value]) => ({ key, value: anyValue(value) }));

/** OTLP/JSON ExportTraceServiceRequest (hex ids, string nanos), one resourceSpans per resource. */
function otlpJson(spans: Dumped[], id = (h: string): string | Uint8Array => h) {
  const byResource = new Map<string, Dumped[]>();
  for (const s of spans) byResource.set(JSON.stringify(s.resource), [...(byResource.get(JSON.stringify(s.resource)) ?? []), s]);
  return {
    resourceSpans: [...byResource].map(([resource, list]) => ({
      resource: { attributes: keyValues(JSON.parse(resource) as Record<string, Attr>) },
      scopeSpans: [{ scope: { name: "recorded" }, spans: list.map((s) => ({
        traceId: id(s.traceId),
        spanId: id(s.spanId),
        ...(s.parentSpanId ? { parentSpanId: id(s.parentSpanId) } : {}),
        name: s.name,
        kind: 1,
        startTimeUnixNano: String(s.start),
        endTimeUnixNano: String(s.end),
        attributes: keyValues(s.attributes),
      })) }],
    })),
  };
}

const T = (generated as unknown as { opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: { fromObject(o: object): object; encode(m: object): { finish(): Uint8Array } } } } } } } })
  .opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** What the route decodes: JSON through a real serialization, protobuf through the official generated code. */
function wire(spans: Dumped[], format: "json" | "protobuf"): TracesRequest {
  if (format === "json") return JSON.parse(JSON.stringify(otlpJson(spans))) as TracesRequest;
  const bytes = T.encode(T.fromObject(otlpJson(spans, (h) => Buffer.from(h, "hex")))).finish();
  return decodeProtobuf(bytes);
}

/** Deterministic shuffle and split (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffledChunks<T>(items: T[], seed: number): T[][] {
  const random = rng(seed);
  const list = [...items];
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  const chunks: T[][] = [];
  for (let i = 0; i < list.length; ) {
    const size = 1 + Math.floor(random() * 3);
    chunks.push(list.slice(i, i + size));
    i += size;
  }
  return chunks;
}

const num = (v: Attr | undefined) => (v === undefined || v === null ? 0 : Number(v));
/**
 * The independent expectation: usage of spans that carry gen_ai.usage.* and have no descendant that does
 * (walked here over the dump's own parent ids), per agent = the nearest invoke_agent's gen_ai.agent.name.
 */
function expected(spans: Dumped[]) {
  const usage = (s: Dumped) => s.attributes["gen_ai.usage.input_tokens"] !== undefined || s.attributes["gen_ai.usage.output_tokens"] !== undefined;
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const ancestors = (s: Dumped) => {
    const out: Dumped[] = [];
    for (let p = s.parentSpanId ? byId.get(s.parentSpanId) : undefined; p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) out.push(p);
    return out;
  };
  const hasUsageBelow = new Set(spans.filter(usage).flatMap((s) => ancestors(s).map((a) => a.spanId)));
  const perAgent: Record<string, { input: number; output: number }> = {};
  for (const s of spans) {
    if (!usage(s) || hasUsageBelow.has(s.spanId)) continue;
    const agent = ancestors(s).find((a) => a.attributes["gen_ai.operation.name"] === "invoke_agent")?.attributes["gen_ai.agent.name"] ?? s.resource["service.name"];
    const t = (perAgent[String(agent)] ??= { input: 0, output: 0 });
    t.input += num(s.attributes["gen_ai.usage.input_tokens"]);
    t.output += num(s.attributes["gen_ai.usage.output_tokens"]);
  }
  return perAgent;
}

/** The same recorded run as an instrumentation that also puts the run's totals on invoke_agent (e.g. OpenAI Agents, Strands). */
function withAgentAggregate(spans: Dumped[]): Dumped[] {
  const sum = (k: string) => spans.reduce((a, s) => a + (s.attributes["gen_ai.operation.name"] === "invoke_agent" ? 0 : num(s.attributes[k])), 0);
  return spans.map((s) =>
    s.attributes["gen_ai.operation.name"] === "invoke_agent"
      ? { ...s, attributes: { ...s.attributes, "gen_ai.usage.input_tokens": sum("gen_ai.usage.input_tokens"), "gen_ai.usage.output_tokens": sum("gen_ai.usage.output_tokens") } }
      : s,
  );
}

/** Net usage per agent of a source, from raw events (reversals carry negative tokens and event_sign -1). */
async function stored(source: string) {
  const { rows } = await pool.query<{ agent: string; input: string; output: string }>(
    `SELECT a.key AS agent, sum(e.input_tokens)::text AS input, sum(e.output_tokens)::text AS output
     FROM usage_events e JOIN agents a ON a.id = e.agent_id WHERE e.source = $1 GROUP BY a.key HAVING sum(e.event_sign) <> 0 OR sum(e.input_tokens) <> 0 OR sum(e.output_tokens) <> 0`,
    [source],
  );
  return Object.fromEntries(rows.map((r) => [r.agent, { input: Number(r.input), output: Number(r.output) }]));
}

const RECORDED: [string, Dumped[]][] = [
  ["agno", anyAgent("any-agent_AGNO_trace.json")],
  ["llama-index", anyAgent("any-agent_LLAMA_INDEX_trace.json")],
  ["smolagents", anyAgent("any-agent_SMOLAGENTS_trace.json")],
  ["tinyagent", anyAgent("any-agent_TINYAGENT_trace.json")],
  ["vercel-ai", openInference("openinference-vercel-v6_all-spans.json")],
];
const SEEDS = [1, 2, 3];

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  forgetOrgSettings();
});

afterAll(async () => {
  await db.$disconnect();
});

describe("recorded traces, counted once", () => {
  test("the fixtures are what the README says: any-agent leaves carry the usage, invoke_agent names the agent", () => {
    for (const [name, spans] of RECORDED.slice(0, 4)) {
      const e = expected(spans);
      expect(Object.keys(e), name).toEqual(["any_agent"]);
      expect(e.any_agent!.input, name).toBeGreaterThanOrEqual(1020);
    }
    expect(Object.keys(expected(RECORDED[4]![1]))).toEqual(["vercel-app"]);
  });

  for (const [name, recorded] of RECORDED) {
    for (const variant of ["as recorded", "with totals on invoke_agent"] as const) {
      const spans = variant === "as recorded" ? recorded : withAgentAggregate(recorded);
      for (const format of ["json", "protobuf"] as const) {
        test(`${name}, ${variant}, OTLP/${format}: whole, then split and shuffled (seeds ${SEEDS.join(", ")})`, async () => {
          const want = expected(recorded);
          const genAi = collectSpans(wire(spans, format)).filter((s) => s.event).length;
          const whole = `${name}-${variant === "as recorded" ? "r" : "a"}-${format}-whole`;
          const first = await ingestTraces(whole, collectSpans(wire(spans, format)), UNRESTRICTED);
          expect(first).toEqual({ accepted: genAi, duplicates: 0, rejected: [] });
          expect(await stored(whole)).toEqual(want);
          // Re-sent whole: nothing changes.
          expect(await ingestTraces(whole, collectSpans(wire(spans, format)), UNRESTRICTED)).toEqual({ accepted: 0, duplicates: genAi, rejected: [] });
          expect(await stored(whole)).toEqual(want);

          for (const seed of SEEDS) {
            const source = `${name}-${variant === "as recorded" ? "r" : "a"}-${format}-${seed}`;
            let accepted = 0;
            for (const chunk of shuffledChunks(spans, seed)) accepted += (await ingestTraces(source, collectSpans(wire(chunk, format)), UNRESTRICTED)).accepted;
            expect(accepted, `seed ${seed}`).toBe(genAi);
            expect(await stored(source), `seed ${seed}`).toEqual(want);
            // Every span re-sent, in another order: nothing changes.
            for (const chunk of shuffledChunks(spans, seed + 100)) await ingestTraces(source, collectSpans(wire(chunk, format)), UNRESTRICTED);
            expect(await stored(source), `seed ${seed} re-sent`).toEqual(want);
          }
        });
      }
    }
  }

  test("an ancestor's aggregate is counted while alone, reversed when a usage-carrying child arrives; children move to the agent", async () => {
    const spans = withAgentAggregate(RECORDED[0]![1]);
    const agent = spans.find((s) => s.attributes["gen_ai.operation.name"] === "invoke_agent")!;
    const total = { input: num(agent.attributes["gen_ai.usage.input_tokens"]), output: num(agent.attributes["gen_ai.usage.output_tokens"]) };
    const leaf = spans.find((s) => s.spanId !== agent.spanId && s.attributes["gen_ai.usage.input_tokens"] !== undefined)!;
    // A leaf alone: counted at once under service.name.
    await ingestTraces("late", collectSpans(wire([leaf], "json")), UNRESTRICTED);
    expect(await stored("late")).toEqual({ unknown_service: { input: num(leaf.attributes["gen_ai.usage.input_tokens"]), output: num(leaf.attributes["gen_ai.usage.output_tokens"]) } });
    // The agent span arrives: its aggregate does not count (a child with usage is known); the leaf moves to the agent.
    await ingestTraces("late", collectSpans(wire([agent], "json")), UNRESTRICTED);
    expect(await stored("late")).toEqual({ any_agent: { input: num(leaf.attributes["gen_ai.usage.input_tokens"]), output: num(leaf.attributes["gen_ai.usage.output_tokens"]) } });
    const links = await pool.query<{ event_key: string; correction_kind: string | null; event_sign: number }>(
      "SELECT event_key, correction_kind, event_sign FROM usage_events WHERE source = 'late' ORDER BY event_key",
    );
    expect(links.rows.map((r) => [r.event_key, r.correction_kind, r.event_sign])).toEqual([
      [leaf.spanId, null, 1],
      [`${leaf.spanId}~reversal`, "reversal", -1],
      [`${leaf.spanId}~v1`, "correction", 1],
    ]);

    // Agent first in another trace source: its aggregate counts provisionally, then a child reverses it.
    await ingestTraces("agent-first", collectSpans(wire([agent], "protobuf")), UNRESTRICTED);
    expect(await stored("agent-first")).toEqual({ any_agent: total });
    await ingestTraces("agent-first", collectSpans(wire([leaf], "protobuf")), UNRESTRICTED);
    expect(await stored("agent-first")).toEqual({ any_agent: { input: num(leaf.attributes["gen_ai.usage.input_tokens"]), output: num(leaf.attributes["gen_ai.usage.output_tokens"]) } });
    const reversed = await pool.query("SELECT 1 FROM usage_events WHERE source = 'agent-first' AND event_key = $1 AND correction_kind = 'reversal'", [`${agent.spanId}~reversal`]);
    expect(reversed.rowCount).toBe(1);
  });

  test("two requests of one trace at once do not double count", async () => {
    for (const seed of SEEDS) {
      const spans = withAgentAggregate(RECORDED[3]![1]);
      const source = `concurrent-${seed}`;
      const chunks = shuffledChunks(spans, seed);
      const half = Math.ceil(chunks.length / 2);
      await Promise.all([
        ingestTraces(source, collectSpans(wire(chunks.slice(0, half).flat(), "json")), UNRESTRICTED),
        ingestTraces(source, collectSpans(wire(chunks.slice(half).flat(), "protobuf")), UNRESTRICTED),
        ingestTraces(source, collectSpans(wire(spans, "json")), UNRESTRICTED),
      ]);
      expect(await stored(source), `seed ${seed}`).toEqual(expected(RECORDED[3]![1]));
    }
  });

  test("a span arriving after the trace settled corrects it as an adjustment", async () => {
    const spans = RECORDED[2]![1];
    const agent = spans.find((s) => s.attributes["gen_ai.operation.name"] === "invoke_agent")!;
    const rest = spans.filter((s) => s !== agent);
    await ingestTraces("settle", collectSpans(wire(rest, "json")), UNRESTRICTED);
    await pool.query("UPDATE otlp_traces SET last_span_at = now() - interval '1 hour' WHERE source = 'settle'");
    expect(await settleTraces()).toBeGreaterThanOrEqual(1);
    expect(await settleTraces()).toBe(0);
    await ingestTraces("settle", collectSpans(wire([agent], "json")), UNRESTRICTED);
    expect(await stored("settle")).toEqual(expected(spans));
    const flagged = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events WHERE source = 'settle' AND properties->>'trace_adjustment' = 'settled'");
    const leaves = rest.filter((s) => s.attributes["gen_ai.operation.name"] !== undefined).length;
    expect(flagged.rows[0]!.n).toBe(2 * leaves); // a reversal and a re-attributed event per GenAI span
  });

  test("nearest invoke_agent wins, also when a nearer agent arrives last", () => {
    const span = (id: string, parent: string | null, op: string | null, agent: string | null, usage: boolean) => ({
      span_id: id, parent_span_id: parent, operation: op, agent, has_usage: usage, event: op ? { agent: "svc" } : null,
    });
    const counts = desiredCounts([
      span("a", null, "invoke_agent", "outer", true),
      span("b", "a", "invoke_agent", "inner", false),
      span("w", "b", null, null, false), // a plain span between agent and chat
      span("c", "w", "chat", null, true),
      span("t", "a", "execute_tool", null, false),
    ]);
    expect(Object.fromEntries(counts)).toEqual({
      a: { counts: false, agent: "outer" },
      b: { counts: true, agent: "inner" },
      c: { counts: true, agent: "inner" },
      t: { counts: true, agent: "outer" },
    });
  });

  test("rollups equal raw events after all of the above", async () => {
    await expectRollupsMatchRebuild();
  });
});
