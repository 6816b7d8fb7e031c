import { describe, expect, it } from "vitest";
import { agentEventsQuery, baselinePatch, roiQuery, usageQuery, workloadQuery } from "./schemas";

describe("dashboard query schemas", () => {
  it("normalizes filters (comma lists, property filters) and applies defaults", () => {
    expect(usageQuery.parse({ agent: "a, b,", department: "", "property:tenant": "t1,t2", from: "2026-03-01" })).toEqual({
      from: "2026-03-01",
      to: undefined,
      filters: { agent: ["a", "b"], department: undefined, model: undefined, customer: undefined, type: undefined, properties: { tenant: ["t1", "t2"] } },
      granularity: "day",
      groupBy: "none",
      top: 8,
    });
    expect(workloadQuery.parse({})).toMatchObject({ groupBy: "task_type", granularity: "day" });
    expect(roiQuery.parse({ groupBy: "task_type" })).toMatchObject({ groupBy: "task_type" });
  });
  it("accepts property groupings and rejects malformed ones", () => {
    expect(usageQuery.parse({ groupBy: "property:tenant" }).groupBy).toBe("property:tenant");
    expect(usageQuery.safeParse({ groupBy: "property:" }).success).toBe(false);
    expect(usageQuery.safeParse({ "property:bad name": "x" }).error?.issues[0]?.path).toEqual(["property:bad name"]);
  });
  it("allows hourly series up to 31 days", () => {
    expect(usageQuery.safeParse({ from: "2026-03-01", to: "2026-03-31", granularity: "hour" }).success).toBe(true);
    expect(usageQuery.safeParse({ from: "2026-03-01", to: "2026-04-01", granularity: "hour" }).success).toBe(false);
  });
  it("validates event pages and baseline edits", () => {
    expect(agentEventsQuery.parse({ limit: "10" })).toEqual({ limit: 10 });
    expect(agentEventsQuery.safeParse({ limit: "10", extra: "1" }).success).toBe(false);
    expect(baselinePatch.safeParse({ baselineMinutes: "12.5" }).success).toBe(true);
    expect(baselinePatch.safeParse({}).success).toBe(false);
    expect(baselinePatch.safeParse({ loadedHourlyCost: "-1" }).success).toBe(false);
    expect(baselinePatch.safeParse({ loadedHourlyCost: "1.234" }).success).toBe(false);
  });
});
