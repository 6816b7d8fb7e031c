import { describe, expect, it } from "vitest";
import { activePresets, dayIn, lastCompleteMonth, presetRange, stepMonth, stepPeriod } from "./periods";

describe("presets", () => {
  const today = "2026-11-18";
  it("picks calendar periods in local days", () => {
    expect(presetRange("last_month", today)).toEqual({ from: "2026-10-01", to: "2026-10-31" });
    expect(presetRange("month_to_date", today)).toEqual({ from: "2026-11-01", to: today });
    expect(presetRange("quarter_to_date", today)).toEqual({ from: "2026-10-01", to: today });
    expect(presetRange("year_to_date", today)).toEqual({ from: "2026-01-01", to: today });
    expect(presetRange("last_7_days", today)).toEqual({ from: "2026-11-12", to: today });
    expect(presetRange("last_30_days", today)).toEqual({ from: "2026-10-20", to: today });
    expect(presetRange("last_90_days", today)).toEqual({ from: "2026-08-21", to: today });
  });

  it("starts fiscal quarters and years in the fiscal month, across the calendar year", () => {
    // Fiscal year from April: FY starts 2026-04-01; quarters Apr, Jul, Oct, Jan.
    expect(presetRange("year_to_date", today, 4)).toEqual({ from: "2026-04-01", to: today });
    expect(presetRange("quarter_to_date", today, 4)).toEqual({ from: "2026-10-01", to: today });
    // In February a fiscal year that started in April began the previous calendar year.
    expect(presetRange("year_to_date", "2027-02-10", 4)).toEqual({ from: "2026-04-01", to: "2027-02-10" });
    expect(presetRange("quarter_to_date", "2027-02-10", 4)).toEqual({ from: "2027-01-01", to: "2027-02-10" });
    // Fiscal year from November: quarters Nov, Feb, May, Aug.
    expect(presetRange("quarter_to_date", "2027-01-31", 11)).toEqual({ from: "2026-11-01", to: "2027-01-31" });
    expect(presetRange("quarter_to_date", "2027-02-01", 11)).toEqual({ from: "2027-02-01", to: "2027-02-01" });
    expect(presetRange("year_to_date", "2026-10-31", 11)).toEqual({ from: "2025-11-01", to: "2026-10-31" });
    expect(presetRange("year_to_date", "2026-11-01", 11)).toEqual({ from: "2026-11-01", to: "2026-11-01" });
  });

  it("knows which presets the shown range is (several at once early in a year)", () => {
    expect(activePresets({ from: "2026-10-01", to: "2026-10-31" }, today)).toEqual(["last_month"]);
    expect(activePresets({ from: "2026-11-12", to: today }, today)).toEqual(["last_7_days"]);
    expect(activePresets({ from: "2026-11-02", to: today }, today)).toEqual([]);
    expect(activePresets({ from: "2026-01-01", to: "2026-01-05" }, "2026-01-05")).toEqual(["month_to_date", "quarter_to_date", "year_to_date"]);
  });

  it("opens Allocation and Invoices on the last complete month", () => {
    expect(lastCompleteMonth("2026-12-01")).toBe("2026-11");
    expect(lastCompleteMonth("2027-01-31")).toBe("2026-12");
  });
});

describe("previous / next period", () => {
  const today = "2026-11-18";
  it("steps whole months, quarters and years; a to-date period steps to the whole previous one", () => {
    expect(stepPeriod({ from: "2026-10-01", to: "2026-10-31" }, -1, today)).toEqual({ from: "2026-09-01", to: "2026-09-30" });
    expect(stepPeriod({ from: "2026-11-01", to: today }, -1, today)).toEqual({ from: "2026-10-01", to: "2026-10-31" });
    expect(stepPeriod({ from: "2026-10-01", to: today }, -1, today)).toEqual({ from: "2026-07-01", to: "2026-09-30" });
    expect(stepPeriod({ from: "2026-01-01", to: today }, -1, today)).toEqual({ from: "2025-01-01", to: "2025-12-31" });
    expect(stepPeriod({ from: "2026-04-01", to: today }, -1, today, 4)).toEqual({ from: "2025-04-01", to: "2026-03-31" });
    // February in a leap year and back.
    expect(stepPeriod({ from: "2028-03-01", to: "2028-03-31" }, -1, "2028-06-01")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
  });

  it("steps forward up to today and no further", () => {
    expect(stepPeriod({ from: "2026-10-01", to: "2026-10-31" }, 1, today)).toEqual({ from: "2026-11-01", to: today });
    expect(stepPeriod({ from: "2026-11-01", to: today }, 1, today)).toBeNull();
    expect(stepPeriod({ from: "2026-07-01", to: "2026-09-30" }, 1, today)).toEqual({ from: "2026-10-01", to: today });
  });

  it("steps other ranges by their length", () => {
    expect(stepPeriod({ from: "2026-11-12", to: today }, -1, today)).toEqual({ from: "2026-11-05", to: "2026-11-11" });
    expect(stepPeriod({ from: "2026-11-05", to: "2026-11-11" }, 1, today)).toEqual({ from: "2026-11-12", to: today });
    expect(stepPeriod({ from: "2026-11-03", to: "2026-11-12" }, 1, today)).toEqual({ from: "2026-11-09", to: today });
    expect(stepPeriod({ from: "2026-11-12", to: today }, 1, today)).toBeNull();
  });

  it("steps months for the month picker", () => {
    expect(stepMonth("2026-01", -1, today)).toBe("2025-12");
    expect(stepMonth("2026-10", 1, today)).toBe("2026-11");
    expect(stepMonth("2026-11", 1, today)).toBeNull();
  });
});

describe("the organization's today", () => {
  it("follows the time zone across DST changes and midnight", () => {
    // New York springs forward on 2026-03-08 at 02:00 local (07:00 UTC); before it, local midnight is 05:00 UTC.
    expect(dayIn("America/New_York", new Date("2026-03-08T04:59:59Z"))).toBe("2026-03-07");
    expect(dayIn("America/New_York", new Date("2026-03-08T05:00:00Z"))).toBe("2026-03-08");
    // After the change local midnight is 04:00 UTC.
    expect(dayIn("America/New_York", new Date("2026-03-09T03:59:59Z"))).toBe("2026-03-08");
    expect(dayIn("America/New_York", new Date("2026-03-09T04:00:00Z"))).toBe("2026-03-09");
    // Fall back (2026-11-01): the day has 25 hours; midnight of the 2nd is 05:00 UTC.
    expect(dayIn("America/New_York", new Date("2026-11-02T04:59:59Z"))).toBe("2026-11-01");
    // A month boundary: 23:30 on 30 November in New York is already 1 December in UTC and Berlin.
    expect(dayIn("America/New_York", new Date("2026-12-01T04:30:00Z"))).toBe("2026-11-30");
    expect(dayIn("Europe/Berlin", new Date("2026-11-30T23:30:00Z"))).toBe("2026-12-01");
    expect(presetRange("month_to_date", dayIn("America/New_York", new Date("2026-12-01T04:30:00Z")))).toEqual({ from: "2026-11-01", to: "2026-11-30" });
  });
});
