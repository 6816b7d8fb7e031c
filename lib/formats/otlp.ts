// OTLP/HTTP traces (JSON and protobuf) → the JSON event contract, following the OpenTelemetry GenAI semantic
// conventions. One GenAI span = one event; spans without GenAI attributes are skipped, not rejected.
import { toServiceTier } from "@/lib/pricing/service-tier";
import generated from "@opentelemetry/otlp-transformer/build/src/generated/root";
import { emptyBatch, type MappedBatch } from "./mapped";

// pbjs static code generated from the official opentelemetry-proto files; its typings only say "a Root".
type Message = {
  decode(body: Uint8Array): object;
  toObject(message: object, options: { longs: typeof String }): object;
  fromObject(value: object): object;
  encode(message: object): { finish(): Uint8Array };
};
const proto = (generated as unknown as { opentelemetry: { proto: { collector: { trace: { v1: Record<"ExportTraceServiceRequest" | "ExportTraceServiceResponse", Message> } } } } })
  .opentelemetry.proto.collector.trace.v1;

export type AttributeValue = string | number | boolean | AttributeValue[] | null;
type AnyValue = {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: string | number | null;
  doubleValue?: number | null;
  arrayValue?: { values?: AnyValue[] | null } | null;
};
export type KeyValue = { key?: string | null; value?: AnyValue | null };
type Span = {
  traceId?: string | Uint8Array | null;
  spanId?: string | Uint8Array | null;
  parentSpanId?: string | Uint8Array | null;
  name?: string | null;
  startTimeUnixNano?: string | number | null;
  endTimeUnixNano?: string | number | null;
  attributes?: KeyValue[] | null;
};
export type TracesRequest = {
  resourceSpans?: { resource?: { attributes?: KeyValue[] | null } | null; scopeSpans?: { spans?: Span[] | null }[] | null }[] | null;
};

/** Decodes an OTLP protobuf ExportTraceServiceRequest with the generated code of the official .proto files. */
export function decodeProtobuf(body: Uint8Array): TracesRequest {
  const message = proto.ExportTraceServiceRequest.decode(body);
  return proto.ExportTraceServiceRequest.toObject(message, { longs: String }) as TracesRequest;
}

/** OTLP/HTTP success body: `partialSuccess` only when some GenAI spans could not be stored. */
export function exportResponse(rejectedSpans: number, errorMessage: string) {
  return rejectedSpans > 0 ? { partialSuccess: { rejectedSpans, errorMessage } } : {};
}

export function encodeResponseProtobuf(rejectedSpans: number, errorMessage: string): Uint8Array {
  const message = proto.ExportTraceServiceResponse.fromObject(exportResponse(rejectedSpans, errorMessage));
  return proto.ExportTraceServiceResponse.encode(message).finish();
}

function anyValue(value: AnyValue | null | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue != null) return value.stringValue;
  if (value.boolValue != null) return value.boolValue;
  if (value.intValue != null) return Number(value.intValue);
  if (value.doubleValue != null) return value.doubleValue;
  if (value.arrayValue != null) return (value.arrayValue.values ?? []).map(anyValue);
  return null;
}

export function attributeMap(list: KeyValue[] | null | undefined): Map<string, AttributeValue> {
  const map = new Map<string, AttributeValue>();
  for (const kv of list ?? []) if (kv.key) map.set(kv.key, anyValue(kv.value));
  return map;
}

/** OTLP/JSON carries ids as hex; protobuf as bytes. */
function hexId(id: string | Uint8Array | null | undefined): string {
  if (!id) return "";
  return typeof id === "string" ? id.toLowerCase() : Buffer.from(id).toString("hex");
}

function nanosToRfc3339(nanos: string | number | null | undefined): string | null {
  if (nanos === null || nanos === undefined || !/^\d+$/.test(String(nanos))) return null;
  const millis = BigInt(String(nanos)) / 1_000_000n;
  if (millis <= 0n || millis > 8_640_000_000_000_000n) return null;
  return new Date(Number(millis)).toISOString();
}

function str(attrs: Map<string, AttributeValue>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = attrs.get(key);
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number") return String(v);
  }
  return undefined;
}

function int(attrs: Map<string, AttributeValue>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const v = attrs.get(key);
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    if (typeof n === "number" && Number.isFinite(n)) return n;
  }
  return undefined;
}

/** A span is a GenAI operation when it names one, or carries a GenAI model, provider or token count. */
export function isGenAiSpan(attrs: Map<string, AttributeValue>): boolean {
  for (const key of attrs.keys()) {
    if (key === "gen_ai.operation.name" || key === "gen_ai.provider.name" || key === "gen_ai.system") return true;
    if (key === "gen_ai.request.model" || key === "gen_ai.response.model" || key.startsWith("gen_ai.usage.")) return true;
  }
  return false;
}

/**
 * GenAI token attributes → the contract's disjoint token classes. The conventions count cached input inside
 * `input_tokens` and reasoning inside `output_tokens`; the contract does not, so those parts are subtracted.
 * An instrumentation that already reports them apart (input smaller than its cached part, as Anthropic's raw
 * usage does) is taken as it is.
 */
export function genAiTokens(attrs: Map<string, AttributeValue>) {
  const input = int(attrs, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens");
  const output = int(attrs, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens");
  const cacheRead = int(attrs, "gen_ai.usage.cache_read.input_tokens");
  const cacheCreation = int(attrs, "gen_ai.usage.cache_creation.input_tokens");
  const reasoning = int(attrs, "gen_ai.usage.reasoning.output_tokens");
  if ([input, output, cacheRead, cacheCreation, reasoning].every((v) => v === undefined)) return undefined;
  const cached = (cacheRead ?? 0) + (cacheCreation ?? 0);
  const tokens: Record<string, number> = {};
  if (input !== undefined) tokens.input = input >= cached ? input - cached : input;
  if (output !== undefined) tokens.output = output >= (reasoning ?? 0) ? output - (reasoning ?? 0) : output;
  if (cacheRead !== undefined) tokens.cache_read = cacheRead;
  if (cacheCreation !== undefined) tokens.cache_creation = cacheCreation;
  if (reasoning !== undefined) tokens.reasoning = reasoning;
  return tokens;
}

/**
 * Token counts by modality, where the GenAI conventions define them (semantic-conventions-genai
 * model/gen-ai/registry.yaml: gen_ai.usage.{text,image,audio,video}.input_tokens, gen_ai.usage.{text,audio}.output_tokens,
 * each "a subset of" the input or output total). Kept on the event as `usage_<modality>_<input|output>_tokens`
 * properties; the audio ones are billed at the price row's audio prices (lib/ingest/validate.ts audioTokensOf).
 */
export function modalityTokens(attrs: Map<string, AttributeValue>): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [modality, direction] of MODALITIES) {
    const n = int(attrs, `gen_ai.usage.${modality}.${direction}_tokens`);
    if (n !== undefined && Number.isSafeInteger(n) && n >= 0) found[`usage_${modality}_${direction}_tokens`] = n;
  }
  return found;
}
const MODALITIES = [["text", "input"], ["image", "input"], ["audio", "input"], ["video", "input"], ["text", "output"], ["audio", "output"]] as const;

/** Span attributes (over resource attributes) → one contract event. */
export function spanToEvent(span: Span, attrs: Map<string, AttributeValue>, resource: Map<string, AttributeValue>): Record<string, unknown> {
  const both = new Map([...resource, ...attrs]);
  const operation = str(attrs, "gen_ai.operation.name");
  const properties: Record<string, string | number> = modalityTokens(attrs);
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) properties[name] = value.slice(0, 1024);
  };
  put("provider", str(attrs, "gen_ai.provider.name", "gen_ai.system"));
  put("operation", operation);
  put("trace_id", hexId(span.traceId) || undefined);
  put("span_name", span.name ?? undefined);
  put("agent_id", str(attrs, "gen_ai.agent.id"));
  put("conversation_id", str(attrs, "gen_ai.conversation.id"));
  put("tool_name", str(attrs, "gen_ai.tool.name"));
  put("service", str(resource, "service.name"));
  put("service_tier", str(attrs, "openai.response.service_tier", "gen_ai.openai.response.service_tier"));

  const event: Record<string, unknown> = {
    id: hexId(span.spanId),
    timestamp: nanosToRfc3339(span.startTimeUnixNano) ?? nanosToRfc3339(span.endTimeUnixNano),
    agent: str(attrs, "gen_ai.agent.name", "gen_ai.agent.id") ?? str(resource, "service.name") ?? "unknown_service",
    type: `gen_ai.${operation ?? "unknown"}`,
    model: str(attrs, "gen_ai.response.model", "gen_ai.request.model"),
    tokens: genAiTokens(attrs),
    // The tier that served the call (the response's; the request's only when it names one, not "auto").
    service_tier: toServiceTier(
      str(attrs, "openai.response.service_tier", "gen_ai.openai.response.service_tier", "openai.request.service_tier", "gen_ai.openai.request.service_tier"),
    ),
    department: str(both, "agentledger.department"),
    customer: str(both, "agentledger.customer"),
    properties,
  };
  const amount = attrs.get("gen_ai.usage.cost.amount");
  if (typeof amount === "number" || typeof amount === "string") {
    // No currency attribute is proposed as required; providers bill in USD.
    event.cost = { amount: typeof amount === "number" ? amount : amount.trim(), currency: str(attrs, "gen_ai.usage.cost.currency")?.toUpperCase() ?? "USD" };
  }
  for (const key of Object.keys(event)) if (event[key] === undefined || event[key] === null) delete event[key];
  return event;
}

/**
 * Every GenAI span of a request as its own event, with its position among all spans of the request. The stateless
 * mapping; the endpoint counts a trace's usage once through lib/formats/traces.ts.
 */
export function tracesToEvents(request: TracesRequest): MappedBatch & { spans: number } {
  const batch = emptyBatch();
  const spans = collectSpans(request);
  for (const s of spans) {
    if (!s.event) continue;
    batch.events.push(s.event);
    batch.origin.push(s.index);
  }
  return { ...batch, spans: spans.length };
}

/** A span as trace accounting (lib/formats/traces.ts) stores it: ancestry, agent, usage, and its event if GenAI. */
export type SpanRecord = {
  /** Position among all spans of the request (for rejections). */
  index: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string | null;
  operation: string | null;
  /** gen_ai.agent.name (or .id) on the span itself. */
  agent: string | null;
  hasUsage: boolean;
  event: Record<string, unknown> | null;
};

/** Every span of a request (GenAI or not: a plain span can link a chat span to its agent). */
export function collectSpans(request: TracesRequest): SpanRecord[] {
  const spans: SpanRecord[] = [];
  let index = 0;
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributeMap(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const attrs = attributeMap(span.attributes);
        const event = isGenAiSpan(attrs) ? spanToEvent(span, attrs, resource) : null;
        spans.push({
          index: index++,
          traceId: hexId(span.traceId),
          spanId: hexId(span.spanId),
          parentSpanId: hexId(span.parentSpanId) || null,
          name: span.name?.slice(0, 1024) || null,
          operation: str(attrs, "gen_ai.operation.name") ?? null,
          agent: str(attrs, "gen_ai.agent.name", "gen_ai.agent.id") ?? null,
          hasUsage: event !== null && (event.tokens !== undefined || event.cost !== undefined),
          event,
        });
      }
    }
  }
  return spans;
}
