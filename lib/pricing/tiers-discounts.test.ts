// Tier and discount arithmetic against an independent decimal.js computation, and the catalog's float → decimal step.
import fs from "node:fs";
import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { catalogDecimal, catalogRows, parseCatalogFile } from "./catalog";
import { CATALOG_PACKAGE } from "./catalog-sql";
import { costUnitsWithFactor, discountFactor, formatUnits, microPrice, microTiers, multiplyFactors, tierPrice } from "./cost";

const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN });
const price = fc.tuple(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 999_999 })).map(([w, f]) => `${w}.${String(f).padStart(6, "0")}`);
const count = fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 10 ** 12 }));
const percent = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 9_999 })).map(([w, f]) => (w === 100 ? "100" : `${w}.${String(f).padStart(4, "0")}`));

describe("discounts and service-tier shares", () => {
  it("cost × (1 − discount) × share equals decimal.js, rounded once, half-even to 10 decimals", () => {
    fc.assert(
      fc.property(price, price, price, count, count, count, percent, fc.constantFrom(null, { num: 1n, den: 2n }), (pin, pout, pcache, a, b, c, pct, share) => {
        const micro = microPrice({ inputPerMTok: pin, outputPerMTok: pout, cacheReadPerMTok: pcache });
        const factor = multiplyFactors(share, discountFactor(pct));
        const exact = new D(a).times(pin).plus(new D(b).times(pout)).plus(new D(c).times(pcache))
          .dividedBy(1_000_000)
          .times(new D(100).minus(pct).dividedBy(100))
          .times(share ? 0.5 : 1);
        const got = formatUnits(costUnitsWithFactor(micro, { inputTokens: a, outputTokens: b, cacheReadTokens: c }, factor));
        expect(got).toBe(exact.toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN).toFixed(10));
      }),
      { numRuns: propertyRuns(3_000) },
    );
  });

  it("rejects discounts that are not percents with at most 4 decimals", () => {
    for (const bad of ["-1", "100.0001", "12.34567", "abc", "1e2"]) expect(() => discountFactor(bad)).toThrow(RangeError);
    expect(discountFactor("100")).toEqual({ num: 0n, den: 1_000_000n });
  });
});

describe("prompt-size tiers", () => {
  it("bills the whole call at the highest tier its prompt (input + cache) exceeds, as decimal.js does", () => {
    const tierList = fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 0, maxLength: 3 }).chain((starts) =>
      fc.tuple(...starts.sort((x, y) => x - y).map((start) => fc.record({ start: fc.constant(start), input: price, output: price }))),
    );
    fc.assert(
      fc.property(price, price, tierList, fc.integer({ min: 0, max: 1_500_000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 500_000 }), (bin, bout, tiers, a, b, c) => {
        const base = { inputPerMTok: bin, outputPerMTok: bout };
        const tokens = { inputTokens: a, outputTokens: b, cacheReadTokens: c };
        const micro = tierPrice(microPrice(base), microTiers(base, tiers), tokens);
        const applied = tiers.filter((t) => a + c > t.start).at(-1) ?? { input: bin, output: bout };
        // Cache reads have no price of their own here: they fall back to the (tier's) input price.
        const exact = new D(a + c).times(applied.input).plus(new D(b).times(applied.output)).dividedBy(1_000_000);
        expect(formatUnits(costUnitsWithFactor(micro, tokens, null))).toBe(exact.toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN).toFixed(10));
      }),
      { numRuns: propertyRuns(3_000) },
    );
  });
});

describe("catalog conversion", () => {
  it("turns catalog floats into the decimals they stand for, and refuses those with no 6-decimal form", () => {
    expect(catalogDecimal(0.18000000000000002)).toBe("0.18");
    expect(catalogDecimal(3.75)).toBe("3.75");
    expect(catalogDecimal(0.075)).toBe("0.075");
    expect(catalogDecimal(1e-6)).toBe("0.000001");
    expect(catalogDecimal(1 / 12)).toBeNull();
    expect(catalogDecimal(-1)).toBeNull();
  });

  it("keeps tiers, start dates and the skip reasons", () => {
    const { rows, skipped } = catalogRows([
      {
        id: "p",
        name: "P",
        models: [
          { id: "tiered", match: { equals: "tiered" }, prices: { input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] }, output_mtok: 15, cache_read_mtok: { base: 0.3, tiers: [{ start: 200_000, price: 0.6 }] } } },
          { id: "dated", match: { equals: "dated" }, prices: [{ prices: { input_mtok: 10, output_mtok: 40 } }, { constraint: { start_date: "2025-06-10" }, prices: { input_mtok: 2, output_mtok: 8 } }] },
          { id: "third", match: { equals: "third" }, prices: { input_mtok: 1 / 3, output_mtok: 1 } },
          { id: "free", match: { equals: "free" }, prices: {} },
        ],
      },
    ]);
    expect(rows.find((r) => r.model === "tiered")).toMatchObject({ inputPerMTok: "3", outputPerMTok: "15", cacheReadPerMTok: "0.3", tiers: [{ start: 200_000, input: "6", cacheRead: "0.6" }] });
    expect(rows.filter((r) => r.model === "dated").map((r) => [r.effectiveFrom, r.effectiveTo, r.inputPerMTok])).toEqual([
      ["2020-01-01T00:00:00.000Z", "2025-06-10T00:00:00.000Z", "10"],
      ["2025-06-10T00:00:00.000Z", null, "2"],
    ]);
    expect(rows.find((r) => r.model === "free")).toMatchObject({ inputPerMTok: "0", outputPerMTok: "0" });
    expect(skipped).toEqual([{ provider: "p", model: "third", reason: `price ${1 / 3} has no exact form with 6 decimals` }]);
  });

  it("refuses an uploaded catalog whose match rules cannot run", () => {
    const file = (match: unknown) => [{ id: "p", name: "P", models: [{ id: "m", match, prices: { input_mtok: 1 } }] }];
    expect(() => parseCatalogFile(file({ regex: "(" }))).toThrow(/models\[0\]\.match: invalid regex/);
    expect(() => parseCatalogFile(file({ or: [{ equals: "a" }, { near: "b" }] }))).toThrow(/unknown operator near/);
    expect(() => parseCatalogFile(file({ equals: 1 }))).toThrow(/equals must be a string/);
    expect(parseCatalogFile(file({ or: [{ equals: "a" }, { regex: "^b" }] }))).toHaveLength(1);
  });

  it("names the exact version package.json pins", () => {
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };
    expect(pkg.dependencies[CATALOG_PACKAGE.name]).toBe(CATALOG_PACKAGE.version);
  });
});
