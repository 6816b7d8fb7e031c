import { describe, expect, it } from "vitest";
import { Decimal } from "./decimal";
import { dayIn, forecastMonthEnd, monthRange, monthString } from "./period";

describe("months", () => {
  it("spans the calendar month, leap years included", () => {
    expect(monthRange("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthRange("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(monthString.safeParse("2026-13").success).toBe(false);
  });

  it("uses the organization's local day", () => {
    // 03:00 UTC on Dec 1 is still Nov 30 in New York.
    expect(dayIn("America/New_York", new Date("2026-12-01T03:00:00Z"))).toBe("2026-11-30");
    expect(dayIn("UTC", new Date("2026-12-01T03:00:00Z"))).toBe("2026-12-01");
  });
});

describe("forecastMonthEnd", () => {
  it("extrapolates the run rate, and is the actual for past months and zero for future ones", () => {
    expect(forecastMonthEnd(new Decimal("100"), "2026-11", "2026-11-10").toFixed(2)).toBe("300.00");
    expect(forecastMonthEnd(new Decimal("100"), "2026-11", "2026-12-02").toFixed(2)).toBe("100.00");
    expect(forecastMonthEnd(new Decimal("100"), "2026-12", "2026-11-30").toFixed(2)).toBe("0.00");
    expect(forecastMonthEnd(new Decimal("10"), "2026-11", "2026-11-07").toFixed(2)).toBe("42.86");
  });
});
