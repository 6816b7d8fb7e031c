// Recorded GenAI agent traces (tests/fixtures/otel-genai; provenance in its README) as OTLP requests, and the
// independent expectation of what they should count. Shared by the library and the HTTP trace tests.
import { readFileSync } from "node:fs";
import path from "node:path";
import generated from "@opentelemetry/otlp-transformer/build/src/generated/root";
import { pool } from "@/lib/db";
import { decodeProtobuf, type TracesRequest } from "@/lib/formats/otlp";

const FIXTURES = path.join(process.cwd(), "tests/fixtures/otel-genai");
type Attr = string | number | boolean | null | Attr[];
/** A span as both dumps reduce to: hex ids, nanosecond start, flat attributes, resource attributes. */
export type Dumped = { traceId: string; spanId: string; parentSpanId: string | null; name: string; start: bigint; end: bigint; attributes: Record<string, Attr>; resource: Record<string, Attr> };

const hex = (n: bigint | number, bytes: number) => BigInt(n).toString(16).padStart(bytes * 2, "0");

/** any-agent dumps (Python SDK span.to_json): integer ids, nanosecond times, resource per span. */
export function anyAgent(file: string): Dumped[] {
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
export function openInference(file: string): Dumped[] {
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
export function otlpJson(spans: Dumped[], id = (h: string): string | Uint8Array => h) {
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
export function wire(spans: Dumped[], format: "json" | "protobuf"): TracesRequest {
  if (format === "json") return JSON.parse(JSON.stringify(otlpJson(spans))) as TracesRequest;
  return decodeProtobuf(protobufBody(spans));
}

/** An OTLP/protobuf ExportTraceServiceRequest body (bytes ids), encoded by the official generated code. */
export function protobufBody(spans: Dumped[]): Uint8Array {
  return T.encode(T.fromObject(otlpJson(spans, (h) => Buffer.from(h, "hex")))).finish();
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
export function shuffledChunks<T>(items: T[], seed: number): T[][] {
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

export const num = (v: Attr | undefined) => (v === undefined || v === null ? 0 : Number(v));
/**
 * The independent expectation: usage of spans that carry gen_ai.usage.* and have no descendant that does
 * (walked here over the dump's own parent ids), per agent = the nearest invoke_agent's gen_ai.agent.name.
 */
export function expected(spans: Dumped[]) {
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
export function withAgentAggregate(spans: Dumped[]): Dumped[] {
  const sum = (k: string) => spans.reduce((a, s) => a + (s.attributes["gen_ai.operation.name"] === "invoke_agent" ? 0 : num(s.attributes[k])), 0);
  return spans.map((s) =>
    s.attributes["gen_ai.operation.name"] === "invoke_agent"
      ? { ...s, attributes: { ...s.attributes, "gen_ai.usage.input_tokens": sum("gen_ai.usage.input_tokens"), "gen_ai.usage.output_tokens": sum("gen_ai.usage.output_tokens") } }
      : s,
  );
}

/** Net usage per agent of a source, from raw events (reversals carry negative tokens and event_sign -1). */
export async function stored(source: string) {
  const { rows } = await pool.query<{ agent: string; input: string; output: string }>(
    `SELECT a.key AS agent, sum(e.input_tokens)::text AS input, sum(e.output_tokens)::text AS output
     FROM usage_events e JOIN agents a ON a.id = e.agent_id WHERE e.source = $1 GROUP BY a.key HAVING sum(e.event_sign) <> 0 OR sum(e.input_tokens) <> 0 OR sum(e.output_tokens) <> 0`,
    [source],
  );
  return Object.fromEntries(rows.map((r) => [r.agent, { input: Number(r.input), output: Number(r.output) }]));
}

