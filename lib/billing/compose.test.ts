import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { composeUsageLines, invoiceTotals, type RatedCharge } from "./compose";
import { Dec, roundMoney, sum } from "./money";
import { rateCharge, type ChargeSpec } from "./rating";

const credits: ChargeSpec = { model: "credits", creditsPerUnit: "20", creditPackSize: "100000", creditPackPrice: "500" };
const perUnit: ChargeSpec = { model: "per_unit", unitPrice: "0.0125" };
const charge = (spec: ChargeSpec, q: string | number, meterId = 1): RatedCharge => ({ meterId, description: "m", rated: rateCharge(spec, q), usageRef: {}, taxCategory: null });

describe("composeUsageLines", () => {
  it("tops up to the minimum spend", () => {
    const { lines } = composeUsageLines({ currency: "USD", charges: [charge(perUnit, 1000)], minimumSpend: "250", commitment: null });
    expect(lines.map((l) => [l.kind, l.amount.toFixed(2)])).toEqual([["usage", "12.50"], ["minimum", "237.50"]]);
  });
  it("draws prepaid credits first and leaves the overage billed", () => {
    const { lines, drawn } = composeUsageLines({
      currency: "USD",
      charges: [charge(credits, 10000)], // 200,000 credits, $1,000
      minimumSpend: null,
      commitment: { id: 7, kind: "credits", balance: new Dec(150000) },
    });
    expect(drawn.toString()).toBe("150000");
    expect(lines.map((l) => [l.kind, l.amount.toFixed(2)])).toEqual([["usage", "1000.00"], ["commitment", "-750.00"]]);
    expect(invoiceTotals(lines).total.toFixed(2)).toBe("250.00");
  });
  it("draws a spend commitment up to the usage", () => {
    const { lines, drawn } = composeUsageLines({ currency: "USD", charges: [charge(perUnit, 1000)], minimumSpend: null, commitment: { id: 1, kind: "spend", balance: new Dec(5) } });
    expect(drawn.toString()).toBe("5");
    expect(invoiceTotals(lines).total.toFixed(2)).toBe("7.50");
  });
  it("total = Σ rounded lines + adjustments, every line rounded to cents (property)", () => {
    const decimal = fc.tuple(fc.nat(1_000_000), fc.nat(999_999)).map(([w, f]) => `${w}.${f}`);
    fc.assert(
      fc.property(fc.array(decimal, { maxLength: 6 }), fc.option(decimal, { nil: null }), fc.array(fc.integer({ min: -100_000, max: 100_000 }), { maxLength: 3 }), (quantities, minimum, adjustmentCents) => {
        const { lines } = composeUsageLines({ currency: "USD", charges: quantities.map((q, i) => charge(perUnit, q, i)), minimumSpend: minimum, commitment: null });
        const all = [...lines, ...adjustmentCents.map((c) => ({ kind: "adjustment", amount: new Dec(c).div(100) }))];
        const totals = invoiceTotals(all);
        for (const l of all) expect(l.amount.eq(roundMoney(l.amount, "USD"))).toBe(true);
        expect(totals.total.eq(sum(all.map((l) => l.amount)))).toBe(true);
        expect(totals.total.eq(totals.subtotal.plus(totals.adjustmentsTotal))).toBe(true);
        if (minimum !== null) expect(totals.subtotal.gte(roundMoney(new Dec(minimum), "USD").minus("0.01"))).toBe(true);
      }),
    );
  });
});
