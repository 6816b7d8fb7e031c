import { describe, expect, it } from "vitest";
import { bucketRange, eventsHref, isFilterParam } from "./drill";

describe("bucketRange", () => {
  it("covers the bucket's local days", () => {
    expect(bucketRange("2026-03-07T00:00:00-05:00", "day")).toEqual({ from: "2026-03-07", to: "2026-03-07" });
    expect(bucketRange("2026-03-07T13:00:00-05:00", "hour")).toEqual({ from: "2026-03-07", to: "2026-03-07" });
    expect(bucketRange("2026-12-28T00:00:00+01:00", "week")).toEqual({ from: "2026-12-28", to: "2027-01-03" });
    expect(bucketRange("2028-02-01T00:00:00Z", "month")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(bucketRange("2026-12-01T00:00:00Z", "month")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });
});

describe("eventsHref", () => {
  it("keeps the filters and the period, drops view settings, adds and removes extras", () => {
    expect(eventsHref("from=2026-03-01&to=2026-03-31&agent=a&groupBy=model&granularity=week&property:tenant=t1", { model: "gpt-4o" })).toBe(
      "/events?from=2026-03-01&to=2026-03-31&agent=a&property%3Atenant=t1&model=gpt-4o",
    );
    expect(eventsHref("agent=a", { agent: null })).toBe("/events");
  });
  it("knows which parameters are filters", () => {
    expect(["taskType", "property:x", "department"].every(isFilterParam)).toBe(true);
    expect(["groupBy", "from", "metric"].some(isFilterParam)).toBe(false);
  });
});
