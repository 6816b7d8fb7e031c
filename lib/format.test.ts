import { describe, expect, it } from "vitest";
import { changeTone, formatDateTime, formatMoney, formatNumber, formatPercent, formatRoi } from "./format";

describe("display formats", () => {
  it("prints thousands separators in money, counts and percentages", () => {
    expect(formatMoney("1234567.891")).toBe("$1,234,567.89");
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatNumber("12345.678", 2)).toBe("12,345.68");
    expect(formatPercent(1248.417)).toBe("124,841.7%");
    expect(formatPercent(-0.0523)).toBe("-5.2%");
    expect(formatPercent(null)).toBe("—");
  });

  it("bounds ROI above 10,000 % and keeps the figures in the title", () => {
    expect(formatRoi(1248.417, { value: "7320.50", cost: "5.86", currency: "USD" })).toEqual({
      text: "> 10,000%",
      title: "Value $7,320.50 · cost $5.86 · ROI 124,841.7%",
    });
    expect(formatRoi(2.5).text).toBe("250.0%");
    expect(formatRoi(100).text).toBe("10,000.0%");
    expect(formatRoi(null, { value: "10", cost: "0", currency: "USD" })).toMatchObject({ text: "—", title: expect.stringContaining("No cost") });
  });

  it("gives spend going up the bad tone everywhere, activity a neutral one", () => {
    expect(changeTone(0.2, "bad")).toBe("bad");
    expect(changeTone(-0.2, "bad")).toBe("good");
    expect(changeTone(0.2, "good")).toBe("good");
    expect(changeTone(0.2)).toBe("neutral");
    expect(changeTone(null, "bad")).toBe("neutral");
    expect(changeTone(0, "bad")).toBe("neutral");
  });

  it("shows instants in the organization's time zone, across DST", () => {
    expect(formatDateTime("2026-03-08T06:59:59Z", "America/New_York")).toBe("2026-03-08 01:59:59");
    expect(formatDateTime("2026-03-08T07:00:00Z", "America/New_York")).toBe("2026-03-08 03:00:00");
    expect(formatDateTime("2026-12-01T03:00:00Z", "Europe/Berlin", false)).toBe("2026-12-01 04:00");
    expect(formatDateTime("2026-12-01T00:00:00Z", "UTC")).toBe("2026-12-01 00:00:00");
  });
});
