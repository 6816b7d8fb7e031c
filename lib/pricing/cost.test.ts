import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { computeTokenCost, computeTokenCostString } from "./cost";
import { MODEL_PRICES } from "./model-prices";

const sonnet = { inputPerMTok: "3.00", outputPerMTok: "15.00", cacheReadPerMTok: "0.30", cacheCreationPerMTok: "3.75" };

describe("computeTokenCost", () => {
  it("prices each token class at its own rate per million tokens", () => {
    const cost = computeTokenCost(
      { inputTokens: 1_000, outputTokens: 500, cacheReadTokens: 10_000, cacheCreationTokens: 2_000 },
      sonnet,
    );
    // 1000×3 + 500×15 + 10000×0.30 + 2000×3.75 = 21000 per million
    expect(cost.toFixed(10)).toBe("0.0210000000");
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
    const cost = computeTokenCost({ inputTokens: 3, outputTokens: 7 }, { inputPerMTok: "0.1", outputPerMTok: "0.2" });
    expect(cost.toFixed(12)).toBe("0.000001700000");
    expect(cost.equals(new Decimal("0.0000017"))).toBe(true);
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
    const cost = computeTokenCost({ inputTokens: 123_456_789_012n, outputTokens: "987654321" }, sonnet);
    expect(cost.toFixed(10)).toBe("385185.1818510000");
  });

  it("accepts Decimal-like prices (e.g. Prisma.Decimal) and treats missing counts as zero", () => {
    expect(computeTokenCostString({ outputTokens: 2_000_000 }, { inputPerMTok: new Decimal(1), outputPerMTok: new Decimal("4.4") })).toBe(
      "8.8000000000",
    );
    expect(computeTokenCostString({}, sonnet)).toBe("0.0000000000");
  });

  it("rejects negative or fractional token counts", () => {
    expect(() => computeTokenCost({ inputTokens: -1 }, sonnet)).toThrow(RangeError);
    expect(() => computeTokenCost({ outputTokens: 1.5 }, sonnet)).toThrow(RangeError);
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
