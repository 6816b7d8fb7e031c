// Rounding exact amounts to cents (or another currency's minor unit) so that the rounded parts add up to a given
// rounded whole.
//
// Rule (largest remainder, a.k.a. Hamilton's method):
//   1. every part is rounded down (toward −∞) to the cent;
//   2. the cents still missing to reach the target go, one each, to the parts with the largest
//      remainders (what step 1 cut off);
//   3. equal remainders are ordered by the parts' tie keys (ascending, string comparison) —
//      for departments, the department code — so the result never depends on input order.
// The target must be the sum of the parts rounded to the cent (down or up); then at most one
// extra cent goes to each part and no part moves by a cent or more from its exact value.
import { Decimal, sum } from "./decimal";

export type Part = { tieKey: string; exact: Decimal };

/** Rounded amounts in the same order as `parts`, to `places` decimals (the currency's minor unit; cents by default). */
export function apportion(parts: readonly Part[], target: Decimal, places = 2): Decimal[] {
  const unit = new Decimal(10).pow(-places);
  const floors = parts.map((p) => p.exact.toDecimalPlaces(places, Decimal.ROUND_FLOOR));
  const missing = target.minus(sum(floors)).div(unit);
  if (!missing.isInteger() || missing.isNegative() || missing.greaterThan(parts.length)) {
    throw new Error(`apportion: target ${target.toString()} is not a rounding to ${places} decimals of the parts' sum`);
  }
  const order = parts
    .map((p, i) => ({ i, remainder: p.exact.minus(floors[i]!), tieKey: p.tieKey }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || (a.tieKey < b.tieKey ? -1 : a.tieKey > b.tieKey ? 1 : 0));
  const result = [...floors];
  for (const { i } of order.slice(0, missing.toNumber())) result[i] = result[i]!.plus(unit);
  return result;
}

/** Half-even rounding to `places` decimals (cents by default): the target for a whole whose parts are apportioned. */
export function roundCents(value: Decimal, places = 2): Decimal {
  return value.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
}
