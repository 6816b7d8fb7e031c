import { describe, expect, it } from "vitest";
import { apportion, roundCents } from "./apportion";
import { Decimal } from "./decimal";

const d = (v: string) => new Decimal(v);
const strings = (values: Decimal[]) => values.map((v) => v.toFixed(2));

describe("apportion (largest remainder)", () => {
  it("gives the missing cents to the largest remainders", () => {
    // 10.00 / 3 = 3.333… each: floors 3.33 × 3 = 9.99, one cent to the first by tie key.
    const third = d("10").div(3);
    expect(strings(apportion([{ tieKey: "B", exact: third }, { tieKey: "A", exact: third }, { tieKey: "C", exact: third }], d("10.00")))).toEqual(["3.33", "3.34", "3.33"]);
  });

  it("prefers the larger remainder over the tie key", () => {
    expect(strings(apportion([{ tieKey: "A", exact: d("1.004") }, { tieKey: "B", exact: d("1.006") }], d("2.01")))).toEqual(["1.00", "1.01"]);
  });

  it("handles negative amounts (credits) by rounding toward −∞ first", () => {
    expect(strings(apportion([{ tieKey: "A", exact: d("-1.005") }, { tieKey: "B", exact: d("2.005") }], roundCents(d("1.000"))))).toEqual(["-1.00", "2.00"]);
  });

  it("refuses a target that is not a rounding of the sum", () => {
    expect(() => apportion([{ tieKey: "A", exact: d("1") }], d("1.02"))).toThrow(/not a rounding to 2 decimals/);
  });

  it("rounds to another minor unit: yen (0 decimals) and dinar (3)", () => {
    const third = d("1000").div(3);
    expect(apportion([{ tieKey: "A", exact: third }, { tieKey: "B", exact: third }, { tieKey: "C", exact: third }], roundCents(d("1000"), 0), 0).map((v) => v.toFixed(0))).toEqual(["334", "333", "333"]);
    // 3.0015 → 3.002 (half-even); floors 1.000 + 2.000 + 0.000: the two missing thousandths go to the largest remainders.
    const kwd = [d("1.0004"), d("2.0004"), d("0.0007")];
    expect(apportion(kwd.map((exact, i) => ({ tieKey: String(i), exact })), roundCents(d("3.0015"), 3), 3).map((v) => v.toFixed(3))).toEqual(["1.001", "2.000", "0.001"]);
    expect(() => apportion([{ tieKey: "A", exact: d("1") }], d("1.5"), 0)).toThrow(/not a rounding to 0 decimals/);
  });

  it("rounds the whole half-even", () => {
    expect(roundCents(d("0.125")).toFixed(2)).toBe("0.12");
    expect(roundCents(d("0.135")).toFixed(2)).toBe("0.14");
  });
});
