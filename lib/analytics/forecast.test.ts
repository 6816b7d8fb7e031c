import { describe, expect, it } from "vitest";
import { forecastFromDaily, forecastPlan } from "./forecast";

const flat = (amount: string) => () => amount;

describe("month-end forecast", () => {
  it("adds the last-7-day run rate for the days left (today included) to the month's complete days", () => {
    // $10 every day: 9 complete days in March + run rate $10 × 22 days left (10th..31st); today's partial $3.333 shown in month to date.
    const plan = forecastPlan("2026-03", "2026-03-10", "2026-01-01");
    expect(plan).toEqual({ month: "2026-03", complete: { from: "2026-03-01", to: "2026-03-09" }, partial: "2026-03-10", window: { from: "2026-03-03", to: "2026-03-09" }, daysRemaining: 22 });
    const f = forecastFromDaily(plan, (d) => (d === "2026-03-10" ? "3.333" : "10"));
    expect(f).toEqual({ month: "2026-03", monthToDate: "93.33", runRate: "10.00", runRateDays: 7, daysRemaining: 22, forecast: "310.00" });
  });

  it("on the first day of a month, takes the run rate from the end of the previous month", () => {
    const plan = forecastPlan("2026-03", "2026-03-01", "2025-06-01");
    expect(plan.complete).toBeNull();
    expect(plan.window).toEqual({ from: "2026-02-22", to: "2026-02-28" });
    const f = forecastFromDaily(plan, (d) => (d.startsWith("2026-02") ? "7" : "0"));
    expect(f).toMatchObject({ monthToDate: "0.00", runRate: "7.00", forecast: "217.00", daysRemaining: 31 });
  });

  it("with fewer than 7 complete days of history, averages the days there are", () => {
    // Data since the 8th; today the 11th: 3 complete days (8, 9, 10) at $6.
    const plan = forecastPlan("2026-03", "2026-03-11", "2026-03-08");
    expect(plan.window).toEqual({ from: "2026-03-08", to: "2026-03-10" });
    const f = forecastFromDaily(plan, (d) => (d >= "2026-03-08" && d < "2026-03-11" ? "6" : "0"));
    expect(f).toMatchObject({ runRate: "6.00", runRateDays: 3, forecast: (18 + 6 * 21).toFixed(2) });
  });

  it("with no complete day of history, has no run rate and forecasts what is spent so far", () => {
    const plan = forecastPlan("2026-03", "2026-03-11", "2026-03-11");
    expect(plan.window).toBeNull();
    expect(forecastFromDaily(plan, (d) => (d === "2026-03-11" ? "4.5" : "0"))).toMatchObject({ monthToDate: "4.50", runRate: "0.00", runRateDays: 0, forecast: "4.50" });
    expect(forecastFromDaily(forecastPlan("2026-03", "2026-03-11", null), flat("0"))).toMatchObject({ forecast: "0.00" });
  });

  it("never forecasts less than month to date (a spike today above the run rate)", () => {
    const plan = forecastPlan("2026-03", "2026-03-31", "2026-01-01");
    const f = forecastFromDaily(plan, (d) => (d === "2026-03-31" ? "100" : "1"));
    expect(f).toMatchObject({ monthToDate: "130.00", forecast: "130.00" });
  });

  it("is the actual spend for a past month and run rate × days for a future one", () => {
    const past = forecastPlan("2026-02", "2026-03-05", "2025-01-01");
    expect(past).toMatchObject({ complete: { from: "2026-02-01", to: "2026-02-28" }, partial: null, window: null, daysRemaining: 0 });
    expect(forecastFromDaily(past, flat("2"))).toMatchObject({ monthToDate: "56.00", forecast: "56.00", runRate: "0.00" });
    const future = forecastPlan("2026-04", "2026-03-05", "2025-01-01");
    expect(future).toMatchObject({ complete: null, partial: null, daysRemaining: 30 });
    expect(forecastFromDaily(future, flat("2"))).toMatchObject({ monthToDate: "0.00", forecast: "60.00" });
  });

  it("keeps exact decimals until the final rounding to cents (half up)", () => {
    const plan = forecastPlan("2026-02", "2026-02-28", "2020-01-01");
    expect(forecastFromDaily(plan, flat("0.0000000001")).forecast).toBe("0.00");
    expect(forecastFromDaily(plan, flat("0.335")).runRate).toBe("0.34");
  });
});
