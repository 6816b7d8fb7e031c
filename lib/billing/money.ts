// Exact money arithmetic for billing. The rounding rule, applied everywhere:
//   1. rating works on exact decimals (40 significant digits, no float ever);
//   2. each invoice line amount is rounded once, half-even ("banker's rounding"), to the currency's minor unit;
//   3. subtotal, adjustments total and total are sums of those rounded line amounts, never re-rounded.
// Half-even keeps many small lines from drifting upwards the way half-up would.
import Decimal from "decimal.js";
import { minorUnits } from "@/lib/currency/iso4217";

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = Decimal;
export type DecInput = Decimal.Value | { toString(): string };

export function dec(value: DecInput | null | undefined): Dec {
  if (value === null || value === undefined) return new Dec(0);
  return new Dec(typeof value === "object" && !(value instanceof Decimal) ? value.toString() : (value as Decimal.Value));
}

/** ISO 4217 minor-unit digits from the pinned table (JPY 0, USD 2, KWD 3), not Intl (lib/currency/README.md). */
export function minorDigits(currency: string): number {
  return minorUnits(currency.trim());
}

export function roundMoney(amount: Dec, currency: string): Dec {
  return amount.toDecimalPlaces(minorDigits(currency), Decimal.ROUND_HALF_EVEN);
}

/** An amount as the API shows it: exactly the currency's minor-unit digits ("12.30" USD, "1235" JPY, "1.250" KWD). */
export function moneyText(amount: DecInput, currency: string): string {
  return dec(amount).toFixed(minorDigits(currency));
}

export function sum(values: Iterable<Dec>): Dec {
  let total = new Dec(0);
  for (const v of values) total = total.plus(v);
  return total;
}
