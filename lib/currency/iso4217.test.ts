import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { ACTIVE_CURRENCIES, currencyName, isActiveCurrency, minorUnits, roundToMinor } from "./iso4217";

describe("ISO 4217 table", () => {
  it("gives the minor units of the ISO list, not Intl's", () => {
    expect(minorUnits("USD")).toBe(2);
    expect(minorUnits("EUR")).toBe(2);
    expect(minorUnits("JPY")).toBe(0);
    expect(minorUnits("ISK")).toBe(0);
    expect(minorUnits("KWD")).toBe(3);
    expect(minorUnits("BHD")).toBe(3);
    expect(minorUnits("CLF")).toBe(4);
    // Intl (ICU) says 0 for these two; ISO says 3 and 2.
    expect(minorUnits("IQD")).toBe(3);
    expect(minorUnits("IDR")).toBe(2);
    expect(currencyName("JPY")).toBe("Yen");
  });

  it("accepts active codes only, upper case", () => {
    for (const code of ["USD", "EUR", "GBP", "CHF", "JPY", "KWD", "ZWG", "SLE", "VES"]) expect(isActiveCurrency(code)).toBe(true);
    // Withdrawn (HRK, SLL, ZWL), no minor unit (XAU, XXX, XTS), not a code, lower case, inherited object keys.
    for (const code of ["HRK", "SLL", "ZWL", "XAU", "XXX", "XTS", "ABC", "usd", "", "constructor", "toString"]) expect(isActiveCurrency(code)).toBe(false);
    expect(() => minorUnits("HRK")).toThrow(/not an active ISO 4217 currency/);
    expect(ACTIVE_CURRENCIES.length).toBeGreaterThan(150);
    expect(new Set(ACTIVE_CURRENCIES).size).toBe(ACTIVE_CURRENCIES.length);
  });

  it("rounds half-even to the minor unit, once", () => {
    const r = (v: string, code: string) => roundToMinor(new Decimal(v), code).toFixed();
    expect(r("12.345", "USD")).toBe("12.34");
    expect(r("12.355", "USD")).toBe("12.36");
    expect(r("12.3451", "USD")).toBe("12.35");
    expect(r("-0.125", "EUR")).toBe("-0.12");
    expect(r("1234.5", "JPY")).toBe("1234");
    expect(r("1235.5", "JPY")).toBe("1236");
    expect(r("0.4999", "JPY")).toBe("0");
    expect(r("1.2345", "KWD")).toBe("1.234");
    expect(r("1.2355", "KWD")).toBe("1.236");
    expect(r("7.00050", "IQD")).toBe("7");
    expect(r("7.00051", "IQD")).toBe("7.001");
    expect(r("39.123450", "CLF")).toBe("39.1234");
    expect(() => roundToMinor(new Decimal(1), "XAU")).toThrow();
  });
});
