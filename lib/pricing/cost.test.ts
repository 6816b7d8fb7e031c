import Decimal from "decimal.js";
import fc from "fast-check";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { describe, expect, it } from "vitest";
import { computeTokenCostString, microPrice } from "./cost";
import { MODEL_PRICES } from "./model-prices";

const sonnet = { inputPerMTok: "3.00", outputPerMTok: "15.00", cacheReadPerMTok: "0.30", cacheCreationPerMTok: "3.75" };

describe("computeTokenCostString", () => {
  it("prices each token class at its own rate per million tokens", () => {
    const cost = computeTokenCostString(
      { inputTokens: 1_000, outputTokens: 500, cacheReadTokens: 10_000, cacheCreationTokens: 2_000 },
      sonnet,
    );
    // 1000×3 + 500×15 + 10000×0.30 + 2000×3.75 = 21000 per million
    expect(cost).toBe("0.0210000000");
  });

  it("bills reasoning tokens as output unless a reasoning price is set", () => {
    const base = { inputPerMTok: "1.25", outputPerMTok: "10.00" };
    expect(computeTokenCostString({ outputTokens: 100, reasoningTokens: 900 }, base)).toBe("0.0100000000");
    expect(computeTokenCostString({ outputTokens: 100, reasoningTokens: 900 }, { ...base, reasoningPerMTok: "2" })).toBe(
      "0.0028000000",
    );
  });

  it("falls back to the input price for cache classes without their own price", () => {
    const gpt = { inputPerMTok: "2.50", outputPerMTok: "10.00", cacheReadPerMTok: null, cacheCreationPerMTok: null };
    expect(computeTokenCostString({ inputTokens: 100, cacheReadTokens: 300, cacheCreationTokens: 600 }, gpt)).toBe(
      "0.0025000000",
    );
  });

  it("is exact where floating point is not", () => {
    // 0.1 + 0.2 style trap: 3 tokens at $0.10/M and 7 tokens at $0.20/M.
    expect(computeTokenCostString({ inputTokens: 3, outputTokens: 7 }, { inputPerMTok: "0.1", outputPerMTok: "0.2" })).toBe("0.0000017000");
  });

  it("rounds to 10 decimals half-even", () => {
    // 1 token × $0.000050/M = 5e-11 → tie between 0 and 1e-10 → even (0).
    expect(computeTokenCostString({ inputTokens: 1 }, { inputPerMTok: "0.00005", outputPerMTok: "0" })).toBe("0.0000000000");
    // 3 tokens → 1.5e-10 → 2e-10 (even).
    expect(computeTokenCostString({ inputTokens: 3 }, { inputPerMTok: "0.00005", outputPerMTok: "0" })).toBe("0.0000000002");
    // 1 token × $0.000051/M = 5.1e-11 → 1e-10.
    expect(computeTokenCostString({ inputTokens: 1 }, { inputPerMTok: "0.000051", outputPerMTok: "0" })).toBe("0.0000000001");
  });

  it("handles huge counts without losing digits", () => {
    // 123,456,789,012 × 3,000,000 millionths is beyond 2^53: the BigInt path takes over.
    expect(computeTokenCostString({ inputTokens: 123_456_789_012, outputTokens: 987_654_321 }, sonnet)).toBe("385185.1818510000");
  });

  it("accepts Decimal-like prices (e.g. Prisma.Decimal) and treats missing counts as zero", () => {
    expect(computeTokenCostString({ outputTokens: 2_000_000 }, { inputPerMTok: new Decimal(1), outputPerMTok: new Decimal("4.4") })).toBe(
      "8.8000000000",
    );
    expect(computeTokenCostString({}, sonnet)).toBe("0.0000000000");
  });

  it("rejects negative or fractional token counts", () => {
    expect(() => computeTokenCostString({ inputTokens: -1 }, sonnet)).toThrow(RangeError);
    expect(() => computeTokenCostString({ outputTokens: 1.5 }, sonnet)).toThrow(RangeError);
    expect(() => computeTokenCostString({}, { inputPerMTok: "0.0000001", outputPerMTok: "0" })).toThrow(RangeError);
  });

  it("equals an independent decimal.js computation (half-even to 10 decimals) for any counts and listed price", () => {
    const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
    const count = fc.oneof(fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(
      fc.property(fc.constantFrom(...MODEL_PRICES), count, count, count, count, count, (p, a, b, c, d, e) => {
        const or = (v: string | null | undefined, fallback: string) => new D(v ?? fallback);
        const exact = new D(a).times(p.inputPerMTok)
          .plus(new D(b).times(p.outputPerMTok))
          .plus(new D(c).times(or(p.cacheReadPerMTok, p.inputPerMTok)))
          .plus(new D(d).times(or(p.cacheCreationPerMTok, p.inputPerMTok)))
          .plus(new D(e).times(or(p.reasoningPerMTok, p.outputPerMTok)))
          .dividedBy(1_000_000);
        const tokens = { inputTokens: a, outputTokens: b, cacheReadTokens: c, cacheCreationTokens: d, reasoningTokens: e };
        expect(computeTokenCostString(tokens, p)).toBe(exact.toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN).toFixed(10));
        expect(computeTokenCostString(tokens, microPrice(p))).toBe(computeTokenCostString(tokens, p));
      }),
      { numRuns: propertyRuns(3_000) },
    );
  });
});

describe("audio tokens", () => {
  // gpt-4o-audio-preview's list prices: text 2.50 / 10, audio 40 / 80 per million.
  const audio = { inputPerMTok: "2.50", outputPerMTok: "10.00", inputAudioPerMTok: "40", outputAudioPerMTok: "80" };

  it("bills the audio part of input and output at the audio prices and the rest at the text prices", () => {
    // 700×2.5 + 300×40 + 150×10 + 50×80 = 1750 + 12000 + 1500 + 4000 = 19250 per million.
    expect(computeTokenCostString({ inputTokens: 1_000, audioInputTokens: 300, outputTokens: 200, audioOutputTokens: 50 }, audio)).toBe("0.0192500000");
  });

  it("prices audio tokens like any other input/output without an audio price", () => {
    const text = { inputPerMTok: "2.50", outputPerMTok: "10.00" };
    const tokens = { inputTokens: 1_000, outputTokens: 200 };
    expect(computeTokenCostString({ ...tokens, audioInputTokens: 300, audioOutputTokens: 50 }, text)).toBe(computeTokenCostString(tokens, text));
  });

  it("never bills more audio tokens than the class has", () => {
    expect(computeTokenCostString({ inputTokens: 10, audioInputTokens: 50 }, audio)).toBe(computeTokenCostString({ inputTokens: 10, audioInputTokens: 10 }, audio));
    expect(computeTokenCostString({ audioOutputTokens: 50 }, audio)).toBe("0.0000000000");
    expect(() => computeTokenCostString({ inputTokens: 1, audioInputTokens: -1 }, audio)).toThrow(RangeError);
  });

  it("equals an independent decimal.js computation for any counts and audio prices", () => {
    const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
    const count = fc.oneof(fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    const price = fc.option(fc.integer({ min: 0, max: 200_000_000 }).map((m) => new D(m).dividedBy(1_000_000).toFixed()), { nil: null });
    fc.assert(
      fc.property(fc.constantFrom(...MODEL_PRICES), price, price, count, count, count, count, count, (p, ai, ao, a, b, c, d, cached) => {
        const prices = { ...p, inputAudioPerMTok: ai, outputAudioPerMTok: ao };
        const audioIn = D.min(c, a);
        const audioOut = D.min(d, b);
        const exact = new D(a).minus(audioIn).times(p.inputPerMTok)
          .plus(audioIn.times(ai ?? p.inputPerMTok))
          .plus(new D(b).minus(audioOut).times(p.outputPerMTok))
          .plus(audioOut.times(ao ?? p.outputPerMTok))
          .plus(new D(cached).times(p.cacheReadPerMTok ?? p.inputPerMTok))
          .dividedBy(1_000_000);
        const tokens = { inputTokens: a, outputTokens: b, audioInputTokens: c, audioOutputTokens: d, cacheReadTokens: cached };
        expect(computeTokenCostString(tokens, prices)).toBe(exact.toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN).toFixed(10));
      }),
      { numRuns: propertyRuns(3_000) },
    );
  });
});

describe("MODEL_PRICES", () => {
  it("has one open-ended row per model and non-overlapping effective ranges", () => {
    const byModel = new Map<string, (typeof MODEL_PRICES)[number][]>();
    for (const p of MODEL_PRICES) byModel.set(p.model, [...(byModel.get(p.model) ?? []), p]);
    for (const [model, rows] of byModel) {
      const sorted = [...rows].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
      expect(sorted.filter((r) => r.effectiveTo === null), model).toHaveLength(1);
      sorted.slice(0, -1).forEach((row, i) => expect(row.effectiveTo, model).toBe(sorted[i + 1]!.effectiveFrom));
    }
  });

  it("covers the models the demo and docs name", () => {
    const models = new Set(MODEL_PRICES.map((p) => p.model));
    for (const m of ["gpt-5", "gpt-5-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini", "o3", "o4-mini", "claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-3-5-haiku", "gemini-2.5-pro", "gemini-2.5-flash"]) {
      expect(models.has(m), m).toBe(true);
    }
  });
});
