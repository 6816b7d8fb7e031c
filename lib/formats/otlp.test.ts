import { describe, expect, test } from "vitest";
import { attributeMap, collectSpans, decodeProtobuf, encodeResponseProtobuf, genAiTokens, isGenAiSpan, tracesToEvents } from "./otlp";

const kv = (key: string, value: string | number | boolean) => ({
  key,
  value: typeof value === "string" ? { stringValue: value } : typeof value === "boolean" ? { boolValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
});

function request(spanAttrs: [string, string | number | boolean][], resourceAttrs: [string, string][] = [["service.name", "support-svc"]]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: resourceAttrs.map(([k, v]) => kv(k, v)) },
        scopeSpans: [
          {
            spans: [
              { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "00f067aa0ba902b7", name: "http GET", startTimeUnixNano: "1764000000000000000", attributes: [kv("http.method", "GET")] },
              { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "B7AD6B7169203331", name: "chat gpt-4o", startTimeUnixNano: "1764000000123456789", attributes: spanAttrs.map(([k, v]) => kv(k, v)) },
            ],
          },
        ],
      },
    ],
  };
}

describe("GenAI span mapping", () => {
  test("every documented attribute", () => {
    const batch = tracesToEvents(
      request([
        ["gen_ai.operation.name", "chat"],
        ["gen_ai.provider.name", "openai"],
        ["gen_ai.request.model", "gpt-4o"],
        ["gen_ai.response.model", "gpt-4o-2024-08-06"],
        ["gen_ai.agent.name", "triage"],
        ["gen_ai.agent.id", "agent_123"],
        ["gen_ai.conversation.id", "conv_1"],
        ["gen_ai.usage.input_tokens", 1000],
        ["gen_ai.usage.output_tokens", 300],
        ["gen_ai.usage.cache_read.input_tokens", 600],
        ["gen_ai.usage.cache_creation.input_tokens", 100],
        ["gen_ai.usage.reasoning.output_tokens", 120],
        ["gen_ai.usage.cost.amount", 0.0123],
        ["gen_ai.usage.cost.currency", "usd"],
        ["agentledger.department", "SUPPORT"],
      ]),
    );
    expect(batch.spans).toBe(2);
    expect(batch.origin).toEqual([1]);
    expect(batch.events[0]).toEqual({
      id: "b7ad6b7169203331",
      timestamp: "2025-11-24T16:00:00.123Z",
      agent: "triage",
      type: "gen_ai.chat",
      model: "gpt-4o-2024-08-06",
      tokens: { input: 300, output: 180, cache_read: 600, cache_creation: 100, reasoning: 120 },
      department: "SUPPORT",
      cost: { amount: 0.0123, currency: "USD" },
      properties: {
        provider: "openai",
        operation: "chat",
        trace_id: "0af7651916cd43dd8448eb211c80319c",
        span_name: "chat gpt-4o",
        agent_id: "agent_123",
        conversation_id: "conv_1",
        service: "support-svc",
      },
    });
  });

  test("legacy names: gen_ai.system, prompt_tokens, completion_tokens; agent falls back to service.name", () => {
    const [event] = tracesToEvents(
      request([
        ["gen_ai.system", "anthropic"],
        ["gen_ai.request.model", "claude-sonnet-4"],
        ["gen_ai.usage.prompt_tokens", 50],
        ["gen_ai.usage.completion_tokens", 20],
      ]),
    ).events as Record<string, unknown>[];
    expect(event).toMatchObject({ agent: "support-svc", type: "gen_ai.unknown", model: "claude-sonnet-4", tokens: { input: 50, output: 20 } });
    expect(event!.properties).toMatchObject({ provider: "anthropic" });
    expect(event!.cost).toBeUndefined();
  });

  test("agent id is used when there is no agent name; customer attribute maps", () => {
    const [event] = tracesToEvents(request([["gen_ai.operation.name", "invoke_agent"], ["gen_ai.agent.id", "a-9"], ["agentledger.customer", "acme"]])).events as Record<string, unknown>[];
    expect(event).toMatchObject({ agent: "a-9", type: "gen_ai.invoke_agent", customer: "acme" });
    expect(event!.tokens).toBeUndefined();
  });

  test("the service tier that served the call maps from either OpenAI attribute; auto and scale do not", () => {
    const tier = (pairs: [string, string][]) =>
      (tracesToEvents(request([["gen_ai.operation.name", "chat"], ["gen_ai.request.model", "gpt-4o"], ...pairs])).events[0] as Record<string, unknown>).service_tier;
    expect(tier([["openai.response.service_tier", "flex"]])).toBe("flex");
    expect(tier([["gen_ai.openai.response.service_tier", "priority"]])).toBe("priority");
    expect(tier([["openai.request.service_tier", "auto"], ["openai.response.service_tier", "default"]])).toBe("default");
    expect(tier([["gen_ai.openai.request.service_tier", "auto"]])).toBeUndefined();
    expect(tier([["openai.response.service_tier", "scale"]])).toBeUndefined();
    expect(tier([])).toBeUndefined();
  });

  test("execute_tool keeps the tool name", () => {
    const [event] = tracesToEvents(request([["gen_ai.operation.name", "execute_tool"], ["gen_ai.tool.name", "search"]])).events as Record<string, unknown>[];
    expect(event).toMatchObject({ type: "gen_ai.execute_tool", properties: { tool_name: "search" } });
  });

  test("non-GenAI spans are skipped", () => {
    expect(isGenAiSpan(attributeMap([kv("http.method", "GET"), kv("db.system", "postgresql")]))).toBe(false);
    expect(tracesToEvents(request([["rpc.system", "grpc"]])).events).toEqual([]);
    expect(tracesToEvents({}).events).toEqual([]);
  });

  test("tokens already reported apart (input below its cached part) are kept as they are", () => {
    const attrs = attributeMap([kv("gen_ai.usage.input_tokens", 10), kv("gen_ai.usage.cache_read.input_tokens", 500), kv("gen_ai.usage.output_tokens", 5), kv("gen_ai.usage.reasoning.output_tokens", 9)]);
    expect(genAiTokens(attrs)).toEqual({ input: 10, cache_read: 500, output: 5, reasoning: 9 });
  });
});

describe("protobuf", () => {
  test("decodes bytes ids and 64-bit times; response encodes", async () => {
    const generated = (await import("@opentelemetry/otlp-transformer/build/src/generated/root")).default as unknown as {
      opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: { fromObject(o: object): object; encode(m: object): { finish(): Uint8Array } } } } } } };
    };
    const T = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
    const bytes = T.encode(
      T.fromObject({
        resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: Buffer.from("0102030405060708", "hex"), startTimeUnixNano: "1764000000000000000", attributes: [{ key: "gen_ai.usage.input_tokens", value: { intValue: 7 } }] }] }] }],
      }),
    ).finish();
    const [event] = tracesToEvents(decodeProtobuf(bytes)).events as Record<string, unknown>[];
    const parented = T.encode(T.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 0xab), spanId: Buffer.alloc(8, 1), parentSpanId: Buffer.alloc(8, 0xcd), attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "chat" } }] }] }] }] })).finish();
    expect(collectSpans(decodeProtobuf(parented))[0]).toMatchObject({ traceId: "ab".repeat(16), spanId: "01".repeat(8), parentSpanId: "cd".repeat(8), operation: "chat", hasUsage: false });
    expect(event).toMatchObject({ id: "0102030405060708", timestamp: "2025-11-24T16:00:00.000Z", tokens: { input: 7 } });
    expect(encodeResponseProtobuf(0, "").length).toBe(0);
    expect(encodeResponseProtobuf(2, "bad").length).toBeGreaterThan(0);
  });
});
