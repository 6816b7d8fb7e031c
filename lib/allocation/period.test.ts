import { describe, expect, it } from "vitest";
import { dayIn, monthRange } from "@/lib/periods";
import { monthString } from "./period";

describe("months", () => {
  it("spans the calendar month, leap years included", () => {
    expect(monthRange("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthRange("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(monthString.safeParse("2026-13").success).toBe(false);
  });

  it("uses the organization's local day", () => {
    // 03:00 UTC on Dec 1 is still Nov 30 in New York.
    expect(dayIn("America/New_York", new Date("2026-12-01T03:00:00Z"))).toBe("2026-11-30");
    expect(dayIn("UTC", new Date("2026-12-01T03:00:00Z"))).toBe("2026-12-01");
  });
});
