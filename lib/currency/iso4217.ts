// Currency codes and minor units from the pinned ISO 4217 table (iso4217-table.ts), and rounding to them.
// The rounding rule is billing's (lib/billing/README.md): half-even ("banker's rounding") to the minor unit, once.
import Decimal from "decimal.js";
import { TABLE } from "./iso4217-table";

export { ACTIVE_CURRENCIES, ISO_4217_PUBLISHED } from "./iso4217-table";

/** An active ISO 4217 currency with a defined minor unit (e.g. "USD", "JPY", "KWD"); codes are upper case. */
export function isActiveCurrency(code: string): boolean {
  return Object.hasOwn(TABLE, code);
}

/** The currency's minor-unit digits: JPY 0, USD 2, KWD 3, CLF 4. Throws for a code not in the table. */
export function minorUnits(code: string): number {
  const entry = isActiveCurrency(code) ? TABLE[code] : undefined;
  if (!entry) throw new RangeError(`${code} is not an active ISO 4217 currency`);
  return entry[0];
}

/** The ISO name, e.g. "Yen". */
export function currencyName(code: string): string {
  minorUnits(code);
  return TABLE[code]![1];
}

/** The amount rounded once, half-even, to the currency's minor unit (12.345 USD → 12.34, 12.355 → 12.36). */
export function roundToMinor<D extends Decimal>(amount: D, code: string): D {
  return amount.toDecimalPlaces(minorUnits(code), Decimal.ROUND_HALF_EVEN) as D;
}
