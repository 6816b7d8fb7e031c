import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, roundMoney, sum } from "./money";
import { ChargeConfigError, rateCharge, type ChargeSpec } from "./rating";

const growthActions: ChargeSpec = {
  model: "graduated",
  tiers: [
    { upTo: 10000, unitPrice: "0.04" },
    { upTo: 100000, unitPrice: "0.03" },
    { upTo: null, unitPrice: "0.02" },
  ],
};
const conversationsVolume: ChargeSpec = {
  model: "volume",
  tiers: [
    { upTo: 1000, unitPrice: "0.35" },
    { upTo: null, unitPrice: "0.25" },
  ],
};

const amount = (spec: ChargeSpec, q: string | number) => rateCharge(spec, q).amount.toString();

describe("per_unit", () => {
  it("prices billable units after the free allowance", () => {
    const spec: ChargeSpec = { model: "per_unit", unitPrice: "0.05", freeUnits: "1000" };
    expect(amount(spec, 999)).toBe("0");
    expect(amount(spec, 1000)).toBe("0");
    expect(amount(spec, 1001)).toBe("0.05");
    expect(amount(spec, 25000)).toBe("1200");
  });
  it("refuses a charge without a price", () => {
    expect(() => rateCharge({ model: "per_unit" }, 1)).toThrow(ChargeConfigError);
  });
});

describe("graduated", () => {
  it("prices each tier's units at that tier's price, at and around the boundaries", () => {
    expect(amount(growthActions, 9999)).toBe("399.96");
    expect(amount(growthActions, 10000)).toBe("400");
    expect(amount(growthActions, 10001)).toBe("400.03");
    expect(amount(growthActions, 100000)).toBe("3100"); // 400 + 90,000 × 0.03
    expect(amount(growthActions, 100001)).toBe("3100.02");
    expect(amount(growthActions, 0)).toBe("0");
  });
  it("keeps the tier breakdown", () => {
    const { tiers } = rateCharge(growthActions, 150000);
    expect(tiers?.map((t) => [t.from, t.upTo, t.quantity, t.amount])).toEqual([
      ["0", "10000", "10000", "400"],
      ["10000", "100000", "90000", "2700"],
      ["100000", null, "50000", "1000"],
    ]);
  });
  it("adds a tier's flat fee once the tier is entered", () => {
    const spec: ChargeSpec = { model: "graduated", tiers: [{ upTo: 10, unitPrice: "1", flatFee: "5" }, { upTo: null, unitPrice: "0.5", flatFee: "20" }] };
    expect(amount(spec, 10)).toBe("15");
    expect(amount(spec, 11)).toBe("35.5");
  });
  it("equals the sum of its per-tier pieces (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 999_999 }), (whole, frac) => {
        const q = new Dec(`${whole}.${frac}`);
        const rated = rateCharge(growthActions, q);
        const pieces = sum((rated.tiers ?? []).map((t) => new Dec(t.amount)));
        const units = sum((rated.tiers ?? []).map((t) => new Dec(t.quantity)));
        expect(rated.amount.eq(pieces)).toBe(true);
        expect(units.eq(q)).toBe(true);
      }),
    );
  });
  it("never charges less for more (property)", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(rateCharge(growthActions, hi).amount.gte(rateCharge(growthActions, lo).amount)).toBe(true);
      }),
    );
  });
});

describe("volume", () => {
  it("prices every unit at the tier the total falls into", () => {
    expect(amount(conversationsVolume, 999)).toBe("349.65");
    expect(amount(conversationsVolume, 1000)).toBe("350");
    expect(amount(conversationsVolume, 1001)).toBe("250.25");
    expect(amount(conversationsVolume, 0)).toBe("0");
  });
  it("refuses tiers that end below the quantity", () => {
    expect(() => rateCharge({ model: "volume", tiers: [{ upTo: 10, unitPrice: "1" }] }, 11)).toThrow(ChargeConfigError);
  });
});

describe("package", () => {
  const tokens: ChargeSpec = { model: "package", packageSize: "1000000", unitPrice: "1.50" };
  it("charges whole packages, rounded up", () => {
    expect(amount(tokens, 0)).toBe("0");
    expect(amount(tokens, 999999)).toBe("1.5");
    expect(amount(tokens, 1000000)).toBe("1.5");
    expect(amount(tokens, 1000001)).toBe("3");
  });
});

describe("markup", () => {
  it("charges underlying cost plus the percentage", () => {
    const rated = rateCharge({ model: "markup", markupPercent: "20" }, "123.4567891234");
    expect(rated.amount.toString()).toBe("148.14814694808");
    expect(roundMoney(rated.amount, "USD").toFixed(2)).toBe("148.15");
  });

  it("credits a period whose refunds exceed its cost (negative cost passes through); unit models refuse negative quantities", () => {
    expect(rateCharge({ model: "markup", markupPercent: "20", freeUnits: "5" }, "-1").amount.toString()).toBe("-1.2");
    expect(() => rateCharge({ model: "per_unit", unitPrice: "1" }, "-1")).toThrow(/metered quantity is negative/);
  });
});

describe("credits", () => {
  it("burns credits per unit priced per pack: 20 credits at $500 per 100,000 is $0.10 per action", () => {
    const spec: ChargeSpec = { model: "credits", creditsPerUnit: "20", creditPackSize: "100000", creditPackPrice: "500" };
    const rated = rateCharge(spec, 1234);
    expect(rated.credits?.toString()).toBe("24680");
    expect(rated.unitPrice?.toString()).toBe("0.1");
    expect(rated.amount.toString()).toBe("123.4");
  });
});

describe("rounding rule", () => {
  it("rounds half to even at the minor unit", () => {
    expect(roundMoney(new Dec("0.125"), "USD").toFixed(2)).toBe("0.12");
    expect(roundMoney(new Dec("0.135"), "USD").toFixed(2)).toBe("0.14");
    expect(roundMoney(new Dec("-0.125"), "USD").toFixed(2)).toBe("-0.12");
    expect(roundMoney(new Dec("12.5"), "JPY").toString()).toBe("12");
  });
});
