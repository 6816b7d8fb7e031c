import { describe, expect, it } from "vitest";
import { forecastFrom, forecastMonthEnd } from "./forecast";

describe("month-end forecast", () => {
  it("adds the last-7-day run rate for the days left to the month's complete days", () => {
    // $10 every day: 9 complete days in March + 7-day run rate $10 × 22 days left (10th..31st).
    const f = forecastMonthEnd("2026-03-10", (d) => (d === "2026-03-10" ? "3.333" : "10"));
    expect(f).toEqual({ month: "2026-03", monthToDate: "93.33", runRate: "10.00", forecast: "310.00" });
  });
  it("uses the end of the previous month for the run rate early in a month", () => {
    const f = forecastMonthEnd("2026-03-01", (d) => (d.startsWith("2026-02") ? "7" : "0"));
    expect(f).toMatchObject({ monthToDate: "0.00", runRate: "7.00", forecast: "217.00" });
    expect(forecastFrom("2026-03-01")).toBe("2026-02-22");
    expect(forecastFrom("2026-03-20")).toBe("2026-03-01");
  });
  it("keeps exact decimals until the final rounding to cents", () => {
    const f = forecastMonthEnd("2026-02-28", () => "0.0000000001");
    expect(f.forecast).toBe("0.00");
    expect(forecastMonthEnd("2026-02-28", () => "0.335").runRate).toBe("0.34");
  });
});
