import { describe, expect, it } from "vitest";
import { bucketLabel, colorFor, OTHER_KEY, PREVIOUS_KEY, relativeChange, stackedRows, taskRows, type Series } from "./prepare";

const p = (start: string, cost: string, events: number) => ({ start, cost, events, quantity: events * 2 });
const series: Series[] = [
  { key: "SUP", label: "Support", points: [p("2026-03-07T00:00:00-05:00", "1.5", 3), p("2026-03-08T00:00:00-05:00", "2.25", 4)] },
  { key: OTHER_KEY, label: "Other", points: [p("2026-03-07T00:00:00-05:00", "0", 0), p("2026-03-08T00:00:00-05:00", "0.1", 1)] },
];

describe("stackedRows", () => {
  it("makes one row per bucket with a column per series and the previous total alongside", () => {
    const rows = stackedRows(series, "cost", "day", [p("2026-02-28T00:00:00-05:00", "9", 9), p("2026-03-01T00:00:00-05:00", "8", 8)]);
    expect(rows).toEqual([
      { start: "2026-03-07T00:00:00-05:00", label: "Mar 7", SUP: 1.5, [OTHER_KEY]: 0, [PREVIOUS_KEY]: 9 },
      { start: "2026-03-08T00:00:00-05:00", label: "Mar 8", SUP: 2.25, [OTHER_KEY]: 0.1, [PREVIOUS_KEY]: 8 },
    ]);
  });
  it("reads quantity and events too, and works without series", () => {
    expect(stackedRows(series, "events", "day").map((r) => r.SUP)).toEqual([3, 4]);
    expect(stackedRows(series, "quantity", "day").map((r) => r.SUP)).toEqual([6, 8]);
    expect(stackedRows([], "cost", "day")).toEqual([]);
  });
});

describe("labels and colours", () => {
  it("labels buckets from the local wall-clock part of the ISO start", () => {
    expect(bucketLabel("2026-11-01T01:00:00-04:00", "hour")).toBe("Nov 1 01:00 (-04:00)");
    expect(bucketLabel("2026-11-01T01:00:00-05:00", "hour")).toBe("Nov 1 01:00 (-05:00)");
    expect(bucketLabel("2026-03-02T00:00:00-05:00", "week")).toBe("Wk Mar 2");
    expect(bucketLabel("2026-03-01T00:00:00-05:00", "month")).toBe("Mar 2026");
  });
  it("gives Other grey and cycles the palette", () => {
    expect(colorFor(OTHER_KEY, 0)).toBe("#94a3b8");
    expect(colorFor("a", 0)).toBe(colorFor("b", 10));
    expect(colorFor("a", 0)).not.toBe(colorFor("a", 1));
  });
  it("computes relative change, null without a base", () => {
    expect(relativeChange(150, 100)).toBe(0.5);
    expect(relativeChange(5, 0)).toBeNull();
  });
  it("maps task series to agent/human columns", () => {
    expect(taskRows([{ start: "2026-03-01T00:00:00-05:00", agentTasks: 3, humanTasks: 1 }], "day")).toEqual([
      { start: "2026-03-01T00:00:00-05:00", label: "Mar 1", agent: 3, human: 1 },
    ]);
  });
});
