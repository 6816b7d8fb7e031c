// One Decimal configuration for allocation and alerts: enough precision that splitting a cost by any
// driver or percentage loses nothing before the final, documented rounding to cents.
import { Decimal as BaseDecimal } from "decimal.js";

export const Decimal = BaseDecimal.clone({ precision: 60, rounding: BaseDecimal.ROUND_HALF_EVEN });
export type Decimal = InstanceType<typeof Decimal>;

export const ZERO = new Decimal(0);

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/** Money for the API, as a string: exactly two decimals, or `places` (a display currency's minor unit). */
export function money(value: Decimal, places = 2): string {
  return value.toFixed(places);
}
