import { describe, expect, it } from "vitest";
import { Decimal } from "@/lib/allocation/decimal";
import { DEFAULT_THRESHOLDS, anomalyCondition, budgetConditions, checkAnomaly, largestContribution } from "./detect";

const d = (v: string | number) => new Decimal(v);

describe("budgetConditions", () => {
  const dept = { id: 3, code: "SUPPORT", name: "Customer Support", budget: d("1000") };

  it("activates each spend threshold once spend reaches it, and the forecast one on the forecast", () => {
    const conditions = budgetConditions({ ...dept, total: d("812.40"), forecast: d("1500") }, DEFAULT_THRESHOLDS, "2026-11", "USD");
    expect(conditions.map((c) => [c.key, c.active, c.threshold.toFixed(2)])).toEqual([
      ["budget:SUPPORT:2026-11:50", true, "500.00"],
      ["budget:SUPPORT:2026-11:70", true, "700.00"],
      ["budget:SUPPORT:2026-11:80", true, "800.00"],
      ["budget:SUPPORT:2026-11:85", false, "850.00"],
      ["budget:SUPPORT:2026-11:90", false, "900.00"],
      ["budget:SUPPORT:2026-11:95", false, "950.00"],
      ["budget:SUPPORT:2026-11:100", false, "1000.00"],
      ["forecast:SUPPORT:2026-11:100", true, "1000.00"],
    ]);
    expect(conditions[2]!.message).toBe("Customer Support (SUPPORT) has spent $812.40 in 2026-11: 81.2% of its $1,000.00 budget (threshold 80%)");
  });

  it("treats reaching the threshold exactly as crossing it", () => {
    const [c] = budgetConditions({ ...dept, total: d("500.00"), forecast: d("0") }, [{ basis: "spend", percent: 50 }], "2026-11", "USD");
    expect(c!.active).toBe(true);
  });
});

describe("checkAnomaly (median + 4 × 1.4826 × MAD, at least 2 × median)", () => {
  const history = [10, 12, 9, 11, 10, 13, 10, 11, 9, 12, 10, 11, 10, 12].map(d);

  it("flags a spike far above a noisy baseline", () => {
    const check = checkAnomaly(history, d(40))!;
    // median 10.5, MAD 1 → 10.5 + 5.9304 = 16.43; 2 × median = 21 wins.
    expect(check.baseline.toFixed(2)).toBe("10.50");
    expect(check.threshold.toFixed(2)).toBe("21.00");
    expect(check.anomalous).toBe(true);
    expect(checkAnomaly(history, d(20))!.anomalous).toBe(false);
  });

  it("uses the MAD band when the history is volatile", () => {
    const volatile = [5, 30, 8, 25, 10, 40, 6, 35, 12, 28, 7, 33, 9, 30].map(d);
    const check = checkAnomaly(volatile, d(60))!;
    expect(check.threshold.greaterThan(check.baseline.times(2))).toBe(true);
    expect(check.anomalous).toBe(false);
    expect(checkAnomaly(volatile, d(100))!.anomalous).toBe(true);
  });

  it("does not judge short histories or tiny amounts", () => {
    expect(checkAnomaly([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1].map(d), d(50))).toBeNull();
    expect(checkAnomaly(Array.from({ length: 14 }, () => d("0.10")), d("0.90"))!.anomalous).toBe(false);
  });

  it("builds a keyed condition per subject and day", () => {
    const c = anomalyCondition({ id: 3, code: "SUPPORT", name: "Customer Support" }, "2026-11-20", history, d(40), "USD")!;
    expect(c).toMatchObject({ key: "anomaly:SUPPORT:2026-11-20", kind: "anomaly", active: true, period: "2026-11-20" });
  });
});

describe("largestContribution", () => {
  const m = (dimension: "agent" | "model" | "department", key: string, spend: number, baselineTotal: number) => ({ dimension, key, label: key, spend: d(spend), baselineTotal: d(baselineTotal) });
  it("picks the largest rise over the member's average day; ties keep the earlier member; no rise, no driver", () => {
    // 14 baseline days: a's average day is 10, so its rise is 30; b rose by 35.
    expect(largestContribution([m("agent", "a", 40, 140), m("agent", "b", 35, 0)])).toMatchObject({ key: "b", change: d(35) });
    expect(largestContribution([m("agent", "a", 35, 0), m("model", "x", 35, 0)])).toMatchObject({ dimension: "agent", key: "a" });
    expect(largestContribution([m("agent", "a", 5, 140)])).toBeNull();
  });
});
