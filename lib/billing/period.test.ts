import { describe, expect, it } from "vitest";
import { billingPeriod, periodOf, shiftPeriod } from "./period";

describe("billing periods", () => {
  it("start and end at local midnight in the organization's time zone", () => {
    const p = billingPeriod("2026-03", "America/New_York");
    expect(p.start.toISOString()).toBe("2026-03-01T05:00:00.000Z"); // EST
    expect(p.end.toISOString()).toBe("2026-04-01T04:00:00.000Z"); // EDT after the DST switch
  });
  it("assign an instant to its local month", () => {
    expect(periodOf(new Date("2026-04-01T03:59:59Z"), "America/New_York")).toBe("2026-03");
    expect(periodOf(new Date("2026-04-01T04:00:00Z"), "America/New_York")).toBe("2026-04");
  });
  it("shift across years", () => {
    expect(shiftPeriod("2026-01", -1)).toBe("2025-12");
    expect(shiftPeriod("2025-12", 1)).toBe("2026-01");
  });
});
