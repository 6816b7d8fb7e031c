// Outcome pricing, pure: a charge's monthly floor and cap, the success-rate guarantee, and its credit line.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { composeUsageLines, invoiceTotals, type RatedCharge } from "./compose";
import { Dec, roundMoney } from "./money";
import { ChargeConfigError, guaranteeCredit, rateCharge, type ChargeSpec } from "./rating";

const perCase: ChargeSpec = { model: "per_unit", unitPrice: "4.00", minimumAmount: "500.00", maximumAmount: "2000.00" };

describe("floor and cap", () => {
  it("lifts the amount to the floor, caps it at the cap, and leaves it alone in between", () => {
    expect(rateCharge(perCase, 0)).toMatchObject({ unitPrice: null, limit: { applied: "floor" } });
    expect(rateCharge(perCase, 0).amount.toString()).toBe("500");
    expect(rateCharge(perCase, 124).amount.toString()).toBe("500");
    expect(rateCharge(perCase, 124).limit?.modelAmount.toString()).toBe("496");
    expect(rateCharge(perCase, 125)).toMatchObject({ limit: null });
    expect(rateCharge(perCase, 125).amount.toString()).toBe("500");
    expect(rateCharge(perCase, 300).unitPrice?.toString()).toBe("4");
    expect(rateCharge(perCase, 501).amount.toString()).toBe("2000");
    expect(rateCharge(perCase, 501).limit).toMatchObject({ applied: "cap" });
  });

  it("refuses a floor above the cap", () => {
    expect(() => rateCharge({ ...perCase, minimumAmount: "3000" }, 1)).toThrow(ChargeConfigError);
  });

  it("is the model's amount clamped to [floor, cap] for any quantity and limits (property)", () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(50_000), fc.nat(50_000), fc.boolean(), fc.boolean(), (q, a, b, withFloor, withCap) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const spec: ChargeSpec = { model: "per_unit", unitPrice: "4.00", minimumAmount: withFloor ? String(lo) : null, maximumAmount: withCap ? String(hi) : null };
        const model = new Dec(q).times(4);
        let expected = model;
        if (withFloor && expected.lt(lo)) expected = new Dec(lo);
        if (withCap && expected.gt(hi)) expected = new Dec(hi);
        const rated = rateCharge(spec, q);
        expect(rated.amount.eq(expected)).toBe(true);
        expect(rated.limit === null).toBe(expected.eq(model));
      }),
    );
  });
});

describe("success-rate guarantee", () => {
  const terms = { maxEscalationRate: "0.15", creditPercent: "10" };

  it("credits the agreed percentage only above the agreed escalation rate", () => {
    expect(guaranteeCredit(terms, "1000", { agentTasks: 100, escalated: 15 })).toMatchObject({ breached: false });
    const over = guaranteeCredit(terms, "1000", { agentTasks: 100, escalated: 16 });
    expect(over.breached).toBe(true);
    expect(over.rate?.toString()).toBe("0.16");
    expect(over.credit.toString()).toBe("100");
    expect(guaranteeCredit(terms, "1000", { agentTasks: 0, escalated: 0 })).toMatchObject({ rate: null, breached: false });
  });

  it("refuses levels outside 0..1 and percentages outside 0..100", () => {
    expect(() => guaranteeCredit({ maxEscalationRate: "15", creditPercent: "10" }, "1", { agentTasks: 1, escalated: 0 })).toThrow(ChargeConfigError);
    expect(() => guaranteeCredit({ maxEscalationRate: "0.1", creditPercent: "101" }, "1", { agentTasks: 1, escalated: 0 })).toThrow(ChargeConfigError);
  });

  it("breaches exactly when escalated × 1 > level × tasks, and never credits more than the charge (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.nat(100_000), fc.nat(1000), fc.nat(100), fc.nat(10_000_000), (tasks, esc, level, pct, cents) => {
        const escalated = esc % (tasks + 1);
        const max = new Dec(level).div(1000);
        const amount = new Dec(cents).div(100);
        const r = guaranteeCredit({ maxEscalationRate: max, creditPercent: pct }, amount, { agentTasks: tasks, escalated });
        expect(r.breached).toBe(new Dec(escalated).gt(max.times(tasks)));
        expect(r.credit.lte(amount)).toBe(true);
        expect(r.credit.eq(r.breached ? amount.times(pct).div(100) : 0)).toBe(true);
      }),
    );
  });
});

describe("guarantee credit line", () => {
  const charge = (amount: string, agentTasks: number, escalated: number): RatedCharge => ({
    meterId: 7,
    description: "Cases resolved (case)",
    taxCategory: null,
    rated: { ...rateCharge({ model: "per_unit", unitPrice: amount }, 1) },
    usageRef: { meter: "cases_resolved" },
    guarantee: { terms: { maxEscalationRate: "0.1", creditPercent: "12.5" }, agentTasks: new Dec(agentTasks), escalated: new Dec(escalated) },
  });

  it("follows the usage lines, credits a share of the rounded line, counts in the subtotal and before the plan minimum", () => {
    const { lines } = composeUsageLines({ currency: "USD", charges: [charge("100.005", 10, 2)], minimumSpend: "95.00", commitment: null });
    expect(lines.map((l) => [l.kind, l.amount.toString()])).toEqual([
      ["usage", "100"], // 100.005 half-even → 100.00
      ["guarantee_credit", "-12.5"],
      ["minimum", "7.5"],
    ]);
    expect(lines[1]!.description).toBe("Success-rate guarantee: escalation rate 20 % above 10 %, 12.5 % of Cases resolved (case) credited");
    expect(lines[1]!.usageRef).toMatchObject({ meter: "cases_resolved", escalationRate: "0.2", agentTasks: "10", escalated: "2" });
    expect(invoiceTotals(lines).subtotal.toString()).toBe("95");
  });

  it("adds no line while the guarantee holds", () => {
    const { lines } = composeUsageLines({ currency: "USD", charges: [charge("80", 10, 1)], minimumSpend: null, commitment: null });
    expect(lines.map((l) => l.kind)).toEqual(["usage"]);
  });

  it("keeps lines + credit = subtotal in the currency's minor unit (property)", () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 1000 }), fc.nat(1000), fc.constantFrom("USD", "JPY", "KWD"), (cents, tasks, esc, currency) => {
        const c = charge(new Dec(cents).div(1000).toString(), tasks, esc % (tasks + 1));
        const { lines } = composeUsageLines({ currency, charges: [c], minimumSpend: null, commitment: null });
        for (const l of lines) expect(roundMoney(l.amount, currency).eq(l.amount)).toBe(true);
        expect(invoiceTotals(lines).total.eq(lines.reduce((s, l) => s.plus(l.amount), new Dec(0)))).toBe(true);
        expect(lines[1]?.amount.neg().lte(lines[0]!.amount) ?? true).toBe(true);
      }),
    );
  });
});
