import Decimal from "decimal.js";
import fc from "fast-check";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { describe, expect, it } from "vitest";
import { roundToMinor } from "./iso4217";
import { convert, daysBefore, selectRate, type StoredRate } from "./select";

// An independent 40-digit, half-even decimal.js (not the module's own configuration).
const D40 = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
let nextId = 1;
const row = (base: string, quote: string, date: string, rate: string): StoredRate => ({ id: nextId++, base, quote, date, rate });

describe("selectRate", () => {
  const rows = [
    row("EUR", "USD", "2026-11-20", "1.0400"),
    row("EUR", "USD", "2026-11-27", "1.0523"), // Friday
    row("EUR", "JPY", "2026-11-27", "161.23"),
    row("EUR", "GBP", "2026-11-26", "0.8341"),
    row("EUR", "KWD", "2026-11-27", "0.3234"),
  ];

  it("takes the latest rate on or before the day, at most 7 days old", () => {
    expect(selectRate("EUR", "USD", "2026-11-27", rows)?.rate.toFixed()).toBe("1.0523");
    // Saturday and the next Friday still use Friday's rate; a week and a day later there is none.
    expect(selectRate("EUR", "USD", "2026-11-28", rows)).toMatchObject({ date: "2026-11-27", method: "direct" });
    expect(selectRate("EUR", "USD", "2026-12-04", rows)?.date).toBe("2026-11-27");
    expect(selectRate("EUR", "USD", "2026-12-05", rows)).toBeNull();
    // Before the newer rate: the older one; before any rate: none.
    expect(selectRate("EUR", "USD", "2026-11-26", rows)?.rate.toFixed()).toBe("1.04");
    expect(selectRate("EUR", "USD", "2026-11-19", rows)).toBeNull();
  });

  it("inverts a stored pair and records the row as inverted", () => {
    const fx = selectRate("USD", "EUR", "2026-11-27", rows)!;
    expect(fx.method).toBe("inverse");
    expect(fx.rate.toFixed()).toBe(new D40(1).div("1.0523").toFixed());
    expect(fx.legs).toEqual([expect.objectContaining({ base: "EUR", quote: "USD", date: "2026-11-27", inverted: true })]);
  });

  it("crosses through EUR, dated by the older leg", () => {
    const fx = selectRate("USD", "JPY", "2026-11-28", rows)!;
    expect(fx).toMatchObject({ method: "cross", date: "2026-11-27" });
    expect(fx.legs.map((l) => [l.base, l.quote, l.inverted])).toEqual([["EUR", "USD", true], ["EUR", "JPY", false]]);
    expect(fx.rate.toFixed()).toBe(new D40("161.23").div("1.0523").toFixed());
    expect(selectRate("GBP", "KWD", "2026-11-27", rows)?.date).toBe("2026-11-26");
    // One leg missing: no rate.
    expect(selectRate("USD", "CHF", "2026-11-27", rows)).toBeNull();
  });

  it("prefers the later candidate; on the same date direct, then inverse, then cross", () => {
    const usdJpy = row("USD", "JPY", "2026-11-25", "150");
    // The direct pair is older than the cross: the cross wins.
    expect(selectRate("USD", "JPY", "2026-11-27", [...rows, usdJpy])?.method).toBe("cross");
    const sameDay = row("USD", "JPY", "2026-11-27", "153.2");
    expect(selectRate("USD", "JPY", "2026-11-27", [...rows, sameDay])).toMatchObject({ method: "direct", legs: [expect.objectContaining({ id: sameDay.id })] });
    const inverse = row("JPY", "USD", "2026-11-27", "0.0065");
    expect(selectRate("USD", "JPY", "2026-11-27", [...rows, inverse])?.method).toBe("inverse");
    expect(selectRate("USD", "JPY", "2026-11-27", [...rows, inverse, sameDay])?.method).toBe("direct");
  });

  it("needs no rate for the same currency", () => {
    expect(selectRate("CHF", "CHF", "2026-11-27", [])).toMatchObject({ method: "identity", legs: [], date: "2026-11-27" });
  });

  it("converts with one division and rounds once to the target's minor unit", () => {
    const fx = selectRate("KWD", "JPY", "2026-11-27", rows)!;
    const amount = convert("12.345", fx);
    expect(amount.toFixed()).toBe(new D40("12.345").times("161.23").div("0.3234").toFixed());
    expect(roundToMinor(amount, "JPY").toFixed()).toBe("6155");
  });

  it("counts days on the calendar", () => {
    expect(daysBefore("2026-03-03", 7)).toBe("2026-02-24");
    expect(daysBefore("2028-03-01", 1)).toBe("2028-02-29");
    expect(() => daysBefore("2026-13-01", 1)).toThrow();
  });
});

describe("cross rates are exact (property)", () => {
  // ECB-style rates: a positive decimal with up to 6 decimals and up to 6 integer digits.
  const rate = fc.tuple(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: 0, max: 6 })).map(([n, scale]) => new Decimal(n).div(10 ** scale).toFixed());
  const amount = fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 6 })).map(([n, scale]) => new Decimal(n.toString()).div(10 ** scale).toFixed());
  const currencies = ["USD", "JPY", "KWD", "IQD", "GBP", "CHF", "CLF", "INR", "BHD"] as const;

  it("from → EUR → to equals an independent decimal.js computation, and converts amounts exactly", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies), fc.constantFrom(...currencies), rate, rate, amount,
        fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), fc.boolean(),
        (from, to, eurFrom, eurTo, value, ageFrom, ageTo, invertTo) => {
          fc.pre(from !== to);
          const day = "2026-11-28";
          const rows = [
            row("EUR", from, daysBefore(day, ageFrom), eurFrom),
            // The second leg stored either way round (a plain CSV may hold GBP→EUR rather than EUR→GBP).
            invertTo ? row(to, "EUR", daysBefore(day, ageTo), eurTo) : row("EUR", to, daysBefore(day, ageTo), eurTo),
          ];
          const fx = selectRate(from, to, day, rows)!;
          expect(fx.method).toBe("cross");
          expect(fx.date).toBe(daysBefore(day, Math.max(ageFrom, ageTo)));
          // EUR→to per EUR→from; with the second leg inverted, 1 ÷ (to→EUR) per EUR→from.
          const expected = invertTo ? new D40(1).div(new D40(eurTo).times(eurFrom)) : new D40(eurTo).div(eurFrom);
          expect(fx.rate.toFixed()).toBe(expected.toFixed());
          const expectedAmount = invertTo ? new D40(value).div(new D40(eurTo).times(eurFrom)) : new D40(value).times(eurTo).div(eurFrom);
          expect(convert(value, fx).toFixed()).toBe(expectedAmount.toFixed());
          expect(roundToMinor(convert(value, fx), to).toFixed()).toBe(roundToMinor(expectedAmount, to).toFixed());
        },
      ),
      { numRuns: propertyRuns(500) },
    );
  });

  it("a rate older than 7 days on either leg gives none", () => {
    fc.assert(
      fc.property(rate, rate, fc.integer({ min: 8, max: 40 }), fc.boolean(), (a, b, age, firstOld) => {
        const day = "2026-11-28";
        const rows = [row("EUR", "USD", daysBefore(day, firstOld ? age : 0), a), row("EUR", "JPY", daysBefore(day, firstOld ? 0 : age), b)];
        expect(selectRate("USD", "JPY", day, rows)).toBeNull();
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});
