import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import fc from "fast-check";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { describe, expect, it } from "vitest";
import { bucketOf, bucketsOf, dayBucketSql, instantIso, localDayIso } from "./buckets";

describe("calendar buckets", () => {
  it("starts weeks on Monday and months on the 1st", () => {
    expect(bucketOf("2026-03-08", "week")).toBe("2026-03-02"); // a Sunday belongs to the week of Monday the 2nd
    expect(bucketOf("2026-03-09", "week")).toBe("2026-03-09");
    expect(bucketOf("2026-03-31", "month")).toBe("2026-03-01");
    expect(bucketOf("2026-03-31", "day")).toBe("2026-03-31");
  });
  it("lists every bucket touching the range once, in order", () => {
    expect(bucketsOf({ from: "2026-02-27", to: "2026-03-10" }, "week")).toEqual(["2026-02-23", "2026-03-02", "2026-03-09"]);
    expect(bucketsOf({ from: "2026-01-31", to: "2026-03-01" }, "month")).toEqual(["2026-01-01", "2026-02-01", "2026-03-01"]);
    expect(bucketsOf({ from: "2026-03-07", to: "2026-03-09" }, "day")).toEqual(["2026-03-07", "2026-03-08", "2026-03-09"]);
  });
  it("writes local midnight with the offset in force that day (DST aware)", () => {
    expect(localDayIso("2026-03-08", "America/New_York")).toBe("2026-03-08T00:00:00-05:00");
    expect(localDayIso("2026-03-09", "America/New_York")).toBe("2026-03-09T00:00:00-04:00");
    expect(localDayIso("2026-11-01", "America/New_York")).toBe("2026-11-01T00:00:00-04:00");
    expect(localDayIso("2026-11-02", "America/New_York")).toBe("2026-11-02T00:00:00-05:00");
    expect(localDayIso("2026-06-01", "Asia/Kolkata")).toBe("2026-06-01T00:00:00+05:30");
  });
  it("writes instants as local time with offset, telling the repeated hour apart", () => {
    expect(instantIso(new Date("2026-11-01T05:00:00Z"), "America/New_York")).toBe("2026-11-01T01:00:00-04:00");
    expect(instantIso(new Date("2026-11-01T06:00:00Z"), "America/New_York")).toBe("2026-11-01T01:00:00-05:00");
  });
  it("agrees with TZDate + date-fns for any day and instant, in zones with DST, half-hour and midnight jumps", () => {
    const zones = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "Asia/Beirut", "Pacific/Apia", "America/St_Johns"];
    const iso = (date: TZDate) => format(date, "yyyy-MM-dd'T'HH:mm:ssXXX");
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true }), (zone, date) => {
        expect(instantIso(date, zone)).toBe(iso(new TZDate(date.getTime(), zone)));
        const day = date.toISOString().slice(0, 10);
        const [y, m, d] = day.split("-").map(Number) as [number, number, number];
        expect(localDayIso(day, zone)).toBe(iso(new TZDate(y, m - 1, d, zone)));
      }),
      { numRuns: propertyRuns(3_000) },
    );
    // Days whose midnight does not exist (clocks jump from 00:00 to 01:00).
    for (const [day, zone] of [["2026-09-06", "America/Santiago"], ["2026-03-29", "Asia/Beirut"]] as const) {
      const [y, m, d] = day.split("-").map(Number) as [number, number, number];
      expect(localDayIso(day, zone)).toBe(iso(new TZDate(y, m - 1, d, zone)));
    }
  });
  it("truncates dates without the session time zone", () => {
    expect(dayBucketSql("week")).toBe("date_trunc('week', r.day::timestamp)");
  });
});
