// Derived table figures (share of a total, change between periods), exact on the decimal strings the API sends.
import Decimal from "decimal.js";

/** part ÷ whole as a ratio, or null when the whole is zero (no share to speak of). */
export function ratio(part: string | number, whole: string | number): number | null {
  const w = new Decimal(whole);
  return w.isZero() ? null : new Decimal(part).div(w).toNumber();
}

/** Exact sum of decimal strings, as a plain decimal string. */
export function sum(values: (string | number)[]): string {
  return values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0)).toFixed();
}

/** current − previous, as a plain decimal string. */
export function difference(current: string | number, previous: string | number): string {
  return new Decimal(current).minus(previous).toFixed();
}
