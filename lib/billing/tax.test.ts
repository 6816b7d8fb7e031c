import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyTax, invoiceTotals, type Line, type TaxSetup } from "./compose";
import { Dec, dec, minorDigits, sum } from "./money";
import { REVERSE_CHARGE_NOTE, computeTax, missingTaxRates, type TaxProfile, type TaxRateRow } from "./tax";

const profile = (p: Partial<TaxProfile> = {}): TaxProfile => ({ country: "DE", region: null, exempt: false, exemptReason: null, reverseCharge: false, ...p });
const rate = (id: number, ratePercent: string, o: Partial<TaxRateRow> = {}): TaxRateRow => ({ id, country: "DE", region: null, category: "standard", name: "VAT", ratePercent, source: "manual", ...o });
const taxable = (amount: string, o: { inclusive?: boolean; taxCategory?: string | null; kind?: string } = {}) => ({ kind: "usage", amount, inclusive: false, taxCategory: null, ...o });
const amounts = (r: ReturnType<typeof computeTax>) => r.taxLines.map((t) => [t.description, t.quantity.toString(), t.amount.toString()]);

describe("computeTax", () => {
  it("adds exclusive tax per line, rounded half-even to the minor unit, and sums the rounded amounts", () => {
    // Per line: 0.125 → 0.12 and 0.135 → 0.14 (half-even), then summed.
    const r = computeTax([taxable("0.625"), taxable("0.675")], profile(), [rate(1, "20")], "standard", "USD");
    expect(amounts(r)).toEqual([["VAT 20% (standard, DE)", "1.3", "0.26"]]);
    expect(computeTax([taxable("1225")], profile(), [rate(1, "10")], "standard", "JPY").taxLines[0]!.amount.toString()).toBe("122");
    expect(computeTax([taxable("1235")], profile(), [rate(1, "10")], "standard", "JPY").taxLines[0]!.amount.toString()).toBe("124");
    expect(computeTax([taxable("1.255")], profile(), [rate(1, "5")], "standard", "KWD").taxLines[0]!.amount.toString()).toBe("0.063");
  });

  it("takes inclusive tax out of the price: net + tax = the price", () => {
    const r = computeTax([taxable("120.00", { inclusive: true })], profile(), [rate(1, "20")], "standard", "USD");
    expect(r.net.map(String)).toEqual(["100"]);
    expect(amounts(r)).toEqual([["VAT 20% (standard, DE)", "100", "20"]]);
  });

  it("uses the line's category (region first), exempt categories, exemption and reverse charge with their notes", () => {
    const rates = [rate(1, "19"), rate(2, "7", { category: "reduced" }), rate(3, "9.5", { region: "BY" })];
    const lines = [taxable("100"), taxable("100", { taxCategory: "reduced" }), taxable("100", { taxCategory: "exempt" })];
    expect(amounts(computeTax(lines, profile({ region: "BY" }), rates, "standard", "EUR"))).toEqual([
      ["VAT 9.5% (standard, DE-BY)", "100", "9.5"],
      ["VAT 7% (reduced, DE)", "100", "7"],
      ["Exempt supplies (0%)", "100", "0"],
    ]);
    const reverse = computeTax(lines, profile({ reverseCharge: true }), rates, "standard", "EUR").taxLines;
    expect(reverse).toMatchObject([{ description: "Reverse charge (0%)", reason: REVERSE_CHARGE_NOTE }]);
    expect(reverse[0]!.amount.isZero()).toBe(true);
    expect(computeTax(lines, profile({ exempt: true, exemptReason: "Certificate EX-42" }), rates, "standard", "EUR").taxLines[0]!.reason).toContain("Certificate EX-42");
  });

  it("no tax country: no tax lines; a category without a rate: a missing line that blocks finalization", () => {
    expect(computeTax([taxable("10")], profile({ country: null }), [], "standard", "USD").taxLines).toEqual([]);
    const missing = computeTax([taxable("10", { taxCategory: "digital_services" })], profile(), [rate(1, "19")], "standard", "USD").taxLines;
    expect(missingTaxRates(missing.map((t) => ({ ...t, usageRef: t.usageRef })))).toEqual(["No tax rate for digital_services in DE"]);
  });
});

describe("applyTax reconciles (property)", () => {
  const currencies = ["USD", "JPY", "KWD", "EUR"] as const;
  const line = (kind: Line["kind"], amount: Dec, taxCategory: string | null, inclusive: boolean): Line => ({
    kind,
    meterId: null,
    description: kind,
    quantity: new Dec(1),
    unitPrice: null,
    amount,
    tiers: null,
    reason: null,
    usageRef: null,
    taxCategory,
    grossAmount: inclusive ? amount : null,
  });

  it("subtotal + adjustments + tax = total; inclusive prices keep their gross; every tax is in minor units; taxing twice changes nothing", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.array(
          fc.record({
            kind: fc.constantFrom<Line["kind"]>("usage", "minimum", "commitment", "adjustment", "late_adjustment"),
            minor: fc.integer({ min: -1_000_000, max: 100_000_000 }),
            category: fc.constantFrom(null, "standard", "reduced", "exempt"),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.boolean(),
        fc.constantFrom<Partial<TaxProfile>>({}, { region: "BY" }, { reverseCharge: true }, { exempt: true, exemptReason: "EX" }, { country: null }),
        fc.array(fc.integer({ min: 0, max: 270_000 }), { minLength: 3, maxLength: 3 }),
        (currency, specs, inclusive, p, bp) => {
          const digits = minorDigits(currency);
          const rates = [rate(1, (bp[0]! / 10_000).toString()), rate(2, (bp[1]! / 10_000).toString(), { category: "reduced" }), rate(3, (bp[2]! / 10_000).toString(), { region: "BY" })];
          const setup: TaxSetup = { profile: profile(p), rates, defaultCategory: "standard" };
          const input = specs.map((s) => line(s.kind, dec(s.minor).div(10 ** digits), s.category, inclusive && s.kind !== "adjustment"));
          const out = applyTax(input, setup, currency);
          const t = invoiceTotals(out);
          expect(t.total.eq(t.subtotal.plus(t.adjustmentsTotal).plus(t.taxTotal))).toBe(true);
          expect(t.total.eq(sum(out.map((l) => l.amount)))).toBe(true);
          for (const l of out) expect(l.amount.decimalPlaces()).toBeLessThanOrEqual(digits);
          // Exclusive lines keep their amounts; inclusive ones split into net + their tax, so the priced total stands.
          const priced = sum(input.map((l) => l.amount));
          const exclusiveTax = t.taxTotal.minus(sum(out.filter((l) => l.grossAmount !== null).map((l) => l.grossAmount!.minus(l.amount))));
          expect(t.total.eq(priced.plus(exclusiveTax))).toBe(true);
          // With every line priced tax-inclusive, the customer pays exactly the prices.
          if (inclusive && specs.every((s) => s.kind !== "adjustment")) expect(t.total.eq(priced)).toBe(true);
          expect(applyTax(out, setup, currency).map((l) => l.amount.toString())).toEqual(out.map((l) => l.amount.toString()));
        },
      ),
      { numRuns: 200 },
    );
  });
});
