import { describe, expect, it } from "vitest";
import { periodWindow, windowStart } from "./periods";

describe("budget periods in the organization's time zone", () => {
  it("a day on the spring-forward day in New York is 23 hours, and resets at the next local midnight", () => {
    const during = periodWindow("day", "America/New_York", new Date("2026-03-09T03:59:00Z")); // 23:59 EDT, Mar 8
    expect(during.from).toBe("2026-03-08");
    expect(during.resetsAt.toISOString()).toBe("2026-03-09T04:00:00.000Z");
    const after = periodWindow("day", "America/New_York", new Date("2026-03-09T04:00:00Z"));
    expect(after.from).toBe("2026-03-09");
    expect(after.resetsAt.toISOString()).toBe("2026-03-10T04:00:00.000Z");
  });

  it("a fall-back day in Berlin resets 25 hours after it started", () => {
    const w = periodWindow("day", "Europe/Berlin", new Date("2026-10-25T12:00:00Z"));
    expect(w.from).toBe("2026-10-25");
    expect(w.resetsAt.toISOString()).toBe("2026-10-25T23:00:00.000Z"); // CET midnight
  });

  it("ISO weeks start on Monday in the local zone; months on the 1st", () => {
    // Sunday 2026-11-29 22:30 in UTC is Monday 2026-11-30 07:30 in Tokyo.
    const now = new Date("2026-11-29T22:30:00Z");
    expect(periodWindow("week", "UTC", now)).toMatchObject({ from: "2026-11-23", to: "2026-11-30" });
    expect(periodWindow("week", "Asia/Tokyo", now)).toMatchObject({ from: "2026-11-30", to: "2026-12-07" });
    expect(periodWindow("week", "Asia/Tokyo", now).resetsAt.toISOString()).toBe("2026-12-06T15:00:00.000Z");
    expect(periodWindow("month", "Asia/Tokyo", now)).toMatchObject({ from: "2026-11-01", to: "2026-12-01" });
    expect(periodWindow("month", "UTC", new Date("2026-12-31T23:00:00Z")).to).toBe("2027-01-01");
    // The week of Tuesday 2026-12-01 began in November.
    expect(windowStart("UTC", new Date("2026-12-01T10:00:00Z"))).toBe("2026-11-30");
  });
});
