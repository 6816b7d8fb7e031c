import { describe, expect, it } from "vitest";
import { bucketRange, chartDrillSearch, eventsHref, isFilterParam } from "./drill";
import { OTHER_KEY } from "./prepare";

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

describe("chartDrillSearch", () => {
  const search = "from=2026-03-01&to=2026-03-31&groupBy=agent&top=8";
  it("filters to a group's segment and splits by the next dimension", () => {
    expect(chartDrillSearch("agent", { series: "triage", start: "2026-03-04T00:00:00-05:00" }, "day", search)).toBe("?from=2026-03-01&to=2026-03-31&groupBy=model&agent=triage");
    expect(chartDrillSearch("department", { series: "SUP", start: "2026-03-04T00:00:00-05:00" }, "day", "groupBy=department")).toBe("?groupBy=agent&department=SUP");
    expect(chartDrillSearch("property:tenant", { series: "t1", start: "x" }, "day", "")).toBe("?property%3Atenant=t1&groupBy=agent");
  });
  it("expands Other and narrows an ungrouped chart to the bucket", () => {
    expect(chartDrillSearch("agent", { series: OTHER_KEY, start: "x" }, "day", search)).toBe("?from=2026-03-01&to=2026-03-31&groupBy=agent&top=50");
    expect(chartDrillSearch("none", { series: "all", start: "2026-03-02T00:00:00-05:00" }, "week", "groupBy=none&granularity=week")).toBe(
      "?groupBy=none&granularity=day&from=2026-03-02&to=2026-03-08",
    );
  });
});
