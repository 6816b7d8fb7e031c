import { describe, expect, it } from "vitest";
import { BadRequestError } from "@/lib/api/errors";
import { MAX_HOURLY_DAYS, MAX_RANGE_DAYS } from "@/lib/api/limits";
import { dayString, rangeIssues, requestedRange, resolveRange, shiftDay, todayIn } from "./period";

describe("resolveRange checks the range after defaults", () => {
  it("refuses a lone `from` that reaches back more than 5 years, naming the field and the limit", () => {
    expect(() => resolveRange({ from: "1970-01-01" }, "UTC")).toThrow(BadRequestError);
    try {
      resolveRange({ from: "1970-01-01" }, "UTC");
    } catch (error) {
      expect((error as BadRequestError).details).toEqual([
        { path: "from", message: expect.stringMatching(new RegExp(`^the range 1970-01-01 to \\d{4}-\\d{2}-\\d{2} is \\d+ days; a request allows at most ${MAX_RANGE_DAYS} days \\(5 years\\)$`)) },
      ]);
    }
  });
  it("applies a finer granularity's shorter limit to the resolved range", () => {
    const from = shiftDay(todayIn("UTC"), -MAX_HOURLY_DAYS);
    const hourly = { maxDays: MAX_HOURLY_DAYS, field: "granularity", reason: "hour granularity" };
    expect(() => resolveRange({ from }, "UTC", hourly)).toThrow(/hour granularity allows at most 31 days/);
    expect(resolveRange({ from: shiftDay(from, 1) }, "UTC", hourly).to).toBe(todayIn("UTC"));
  });
  it("accepts exactly the limit and defaults to the last 30 days", () => {
    expect(rangeIssues({ from: "2020-01-01", to: shiftDay("2020-01-01", MAX_RANGE_DAYS - 1) })).toEqual([]);
    expect(rangeIssues({ from: "2020-01-01", to: shiftDay("2020-01-01", MAX_RANGE_DAYS) })[0]?.path).toBe("from");
    expect(rangeIssues({ from: "2020-01-02", to: "2020-01-01" })).toEqual([{ path: "to", message: "must not be before 'from'" }]);
    const range = resolveRange({}, "UTC");
    expect(range).toEqual(requestedRange({}, "UTC"));
    expect(range.from).toBe(shiftDay(range.to, -29));
  });
  it("takes days from 1900 to 2999 only, so shifted defaults stay valid dates", () => {
    expect(dayString.safeParse("1900-01-01").success).toBe(true);
    expect(dayString.safeParse("2999-12-31").success).toBe(true);
    expect(dayString.safeParse("0001-01-01").success).toBe(false);
    expect(dayString.safeParse("9999-12-31").success).toBe(false);
  });
});
