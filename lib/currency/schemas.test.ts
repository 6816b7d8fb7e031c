import { describe, expect, it } from "vitest";
import { fxRateListQuery, fxRatesPut } from "./schemas";

const paths = (value: unknown) => {
  const r = fxRatesPut.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
};

describe("PUT body", () => {
  it("normalises codes and rates, defaults the source", () => {
    expect(fxRatesPut.parse({ rates: [{ base: " usd", quote: "JPY", date: "2026-11-20", rate: 153.2 }] }).rates).toEqual([
      { base: "USD", quote: "JPY", date: "2026-11-20", rate: "153.2", source: "manual" },
    ]);
  });

  it("names each bad field", () => {
    expect(paths({ rates: [
      { base: "USD", quote: "JPY", date: "2026-11-20", rate: "154" },
      { base: "USD", quote: "HRK", date: "2026-11-20", rate: "7" },
      { base: "USD", quote: "CHF", date: "2026-11-31", rate: "0.9" },
      { base: "USD", quote: "CAD", date: "2026-11-20", rate: "-1" },
      { base: "USD", quote: "USD", date: "2026-11-20", rate: "1" },
      { base: "USD", quote: "CAD", date: "2026-11-20", rate: "0", source: "bank" },
    ] })).toEqual(["rates.1.quote", "rates.2.date", "rates.3.rate", "rates.4.quote", "rates.5.rate", "rates.5.source"]);
    expect(paths({ rates: [] })).toEqual(["rates"]);
    expect(paths({ rates: [{ base: "EUR", quote: "USD", date: "2026-11-20", rate: "1.1", extra: 1 }] })).toEqual(["rates.0"]);
  });

  it("refuses the same pair and day twice", () => {
    const r = { base: "EUR", quote: "USD", date: "2026-11-20", rate: "1.1" };
    expect(paths({ rates: [r, { ...r, rate: "1.2" }] })).toEqual(["rates.1"]);
  });
});

describe("list query", () => {
  it("checks codes, dates and the cursor", () => {
    expect(fxRateListQuery.parse({ base: "eur", limit: "5" })).toEqual({ base: "EUR", limit: 5 });
    const r = fxRateListQuery.safeParse({ base: "XYZ", from: "2026-02-30", cursor: "x" });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join(".")).sort()).toEqual(["base", "cursor", "from"]);
  });
});
