import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { collectSpans } from "./otlp";
import { collectTokenPoints, cumulativeDelta, type SeriesState } from "./otlp-metrics";

const kv = (key: string, value: string | number) => ({ key, value: typeof value === "string" ? { stringValue: value } : { intValue: String(value) } });

function request(points: { attrs: [string, string][]; sum?: number; temporality?: number; name?: string }[], service = "svc") {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [kv("service.name", service)] },
        scopeMetrics: [
          {
            scope: { name: "genai" },
            metrics: points.map((p) => ({
              name: p.name ?? "gen_ai.client.token.usage",
              histogram: {
                aggregationTemporality: p.temporality ?? 1,
                dataPoints: [{ startTimeUnixNano: "1793491200000000000", timeUnixNano: "1793491260000000000", count: "2", sum: p.sum, attributes: p.attrs.map(([k, v]) => kv(k, v)) }],
              },
            })),
          },
        ],
      },
    ],
  };
}

describe("collectTokenPoints", () => {
  test("token points carry their class, model, agent and series; other metrics are skipped but counted as data points", () => {
    const parsed = collectTokenPoints(
      request([
        { attrs: [["gen_ai.token.type", "input"], ["gen_ai.request.model", "gpt-4o"], ["gen_ai.provider.name", "openai"]], sum: 120 },
        { attrs: [["gen_ai.token.type", "input"], ["gen_ai.token.cache", "read"], ["gen_ai.request.model", "gpt-4o"]], sum: 40 },
        { attrs: [["gen_ai.token.type", "output"], ["gen_ai.token.phase", "reasoning"], ["gen_ai.response.model", "o3"]], sum: 9 },
        { attrs: [["gen_ai.token.type", "total"]], sum: 5 },
        { attrs: [["gen_ai.token.type", "input"]], sum: 1, name: "gen_ai.client.operation.duration" },
      ]),
    );
    expect(parsed.dataPoints).toBe(5);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.points.map((p) => p.tokenClass)).toEqual(["input", "cache_read", "reasoning", null]);
    expect(parsed.points[0]!.event).toMatchObject({ agent: "svc", model: "gpt-4o", type: "gen_ai.unknown", timestamp: "2026-11-01T00:01:00.000Z", properties: { provider: "openai", aggregate: true } });
    expect(parsed.points[2]!.event.model).toBe("o3");
    expect(new Set(parsed.points.map((p) => p.series)).size).toBe(4);
  });

  test("series identity: the same attributes in another order are one series; another resource is another", () => {
    const a = collectTokenPoints(request([{ attrs: [["gen_ai.token.type", "input"], ["gen_ai.request.model", "m"]], sum: 1 }])).points[0]!.series;
    const b = collectTokenPoints(request([{ attrs: [["gen_ai.request.model", "m"], ["gen_ai.token.type", "input"]], sum: 2 }])).points[0]!.series;
    const c = collectTokenPoints(request([{ attrs: [["gen_ai.token.type", "input"], ["gen_ai.request.model", "m"]], sum: 1 }], "other")).points[0]!.series;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  test("points without a whole sum or a known temporality are rejected with their index", () => {
    const parsed = collectTokenPoints(request([{ attrs: [["gen_ai.token.type", "input"]] }, { attrs: [["gen_ai.token.type", "input"]], sum: 1.5 }, { attrs: [["gen_ai.token.type", "input"]], sum: 3, temporality: 0 }]));
    expect(parsed.points).toEqual([]);
    expect(parsed.rejected.map((r) => [r.index, r.errors[0]])).toEqual([
      [0, "sum: required, a whole number of tokens ≥ 0"],
      [1, "sum: required, a whole number of tokens ≥ 0"],
      [2, "aggregationTemporality: must be DELTA or CUMULATIVE"],
    ]);
  });
});

describe("cumulativeDelta", () => {
  const point = (start: number, time: number, sum: number, count = 1) => ({ startNanos: BigInt(start), timeNanos: BigInt(time), sum, count });

  test("first point, next point, retry, late point, reset, unmarked reset", () => {
    let state: SeriesState | undefined;
    const step = (p: ReturnType<typeof point>) => {
      const d = cumulativeDelta(state, p);
      state = d.state;
      return Number(d.sum);
    };
    expect(step(point(0, 10, 100))).toBe(100);
    expect(step(point(0, 20, 150))).toBe(50);
    expect(step(point(0, 20, 150))).toBe(0);
    expect(step(point(0, 15, 120))).toBe(0);
    expect(step(point(30, 40, 7))).toBe(7);
    expect(step(point(0, 50, 999))).toBe(0);
    expect(step(point(30, 60, 3))).toBe(3);
  });

  test("property: any delivery of a run's points (duplicated, reordered) counts at most its last total, and exactly it when delivered in order", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 40 }), (increments, picks) => {
        let total = 0;
        const points = increments.map((inc, i) => point(0, i + 1, (total += inc)));
        const shuffled = [...points, ...picks.map((p) => points[p % points.length]!)];
        let state: SeriesState | undefined;
        let counted = 0n;
        for (const p of shuffled) {
          const d = cumulativeDelta(state, p);
          state = d.state;
          counted += d.sum;
        }
        expect(counted).toBe(BigInt(total));
      }),
    );
  });
});

test("span modality attributes are kept on the event (semantic-conventions-genai registry)", () => {
  const spans = collectSpans({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: "0af7651916cd43dd8448eb211c80319c",
                spanId: "00f067aa0ba902b7",
                startTimeUnixNano: "1764000000000000000",
                attributes: [kv("gen_ai.operation.name", "chat"), kv("gen_ai.usage.input_tokens", 100), kv("gen_ai.usage.audio.input_tokens", 60), kv("gen_ai.usage.text.input_tokens", 40), kv("gen_ai.usage.audio.output_tokens", 7)],
              },
            ],
          },
        ],
      },
    ],
  });
  expect(spans[0]!.event!.properties).toMatchObject({ usage_audio_input_tokens: 60, usage_text_input_tokens: 40, usage_audio_output_tokens: 7 });
});
