// Which stored FX rate converts `from` into `to` on a day: the rule, pure (no database), shared by rateFor and its
// tests. The rule (README "Currencies and FX rates", lib/currency/README.md):
//   - a rate counts for `day` if its date is on or before `day` and at most MAX_AGE_DAYS older (no reference rates
//     are published on weekends and holidays);
//   - candidates: the pair itself (from→to), its inverse (to→from), and the cross through PIVOT (from→EUR→to, each
//     leg direct or inverse); a cross is as old as its older leg;
//   - the candidate with the latest date wins; on the same date direct beats inverse beats cross;
//   - within a leg, the latest date wins; on the same date the direct row beats the inverse one.
// Exactness: the chosen rate is kept as a fraction of stored values (numerator ÷ denominator); the products are
// exact, and the one division (FxDecimal: 40 significant digits, half-even) is the only rounding.
import type Decimal from "decimal.js";
import { ExactDecimal as Exact, FxDecimal } from "./decimal";

export const PIVOT = "EUR";
export const MAX_AGE_DAYS = 7;

export type StoredRate = { id: number; base: string; quote: string; date: string; rate: string };

/** One stored rate used, and whether it was used as its inverse (quote→base). */
export type RateLeg = StoredRate & { inverted: boolean };

export type FxConversion = {
  from: string;
  to: string;
  /** The day asked for (YYYY-MM-DD). */
  day: string;
  /** The date of the rate used: the older leg's date for a cross rate; `day` for from = to. */
  date: string;
  method: "identity" | "direct" | "inverse" | "cross";
  /** 1 from = rate to, to 40 significant digits (half-even). */
  rate: Decimal;
  /** The exact fraction behind `rate`: convert amounts with `convert`, which divides once. */
  numerator: Decimal;
  denominator: Decimal;
  /** The stored rates used, in order (one, or two for a cross). */
  legs: RateLeg[];
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The day `days` before `day` (both YYYY-MM-DD, calendar arithmetic in UTC). */
export function daysBefore(day: string, days: number): string {
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new RangeError(`not a date: ${day}`);
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

type Leg = { date: string; numerator: Decimal; denominator: Decimal; legs: RateLeg[]; inverted: boolean };

/** The latest usable row for a → b, direct or inverted (direct first on the same date). */
function bestLeg(a: string, b: string, oldest: string, day: string, rows: readonly StoredRate[]): Leg | null {
  let best: Leg | null = null;
  for (const row of rows) {
    if (row.date < oldest || row.date > day) continue;
    const inverted = row.base === b && row.quote === a;
    if (!inverted && !(row.base === a && row.quote === b)) continue;
    if (best && (row.date < best.date || (row.date === best.date && (inverted || !best.inverted)))) continue;
    const r = new Exact(row.rate);
    best = { date: row.date, numerator: inverted ? new Exact(1) : r, denominator: inverted ? r : new Exact(1), legs: [{ ...row, inverted }], inverted };
  }
  return best;
}

/** The rate converting `from` into `to` on `day` from the given stored rows, or null when none qualifies. */
export function selectRate(from: string, to: string, day: string, rows: readonly StoredRate[]): FxConversion | null {
  const oldest = daysBefore(day, MAX_AGE_DAYS);
  const result = (date: string, method: FxConversion["method"], numerator: Decimal, denominator: Decimal, legs: RateLeg[]): FxConversion => ({
    from, to, day, date, method, numerator, denominator, legs, rate: new FxDecimal(numerator).div(new FxDecimal(denominator)),
  });
  if (from === to) return result(day, "identity", new Exact(1), new Exact(1), []);
  const pair = bestLeg(from, to, oldest, day, rows);
  let cross: FxConversion | null = null;
  if (from !== PIVOT && to !== PIVOT) {
    const first = bestLeg(from, PIVOT, oldest, day, rows);
    const second = first && bestLeg(PIVOT, to, oldest, day, rows);
    if (first && second) {
      const date = first.date < second.date ? first.date : second.date;
      cross = result(date, "cross", first.numerator.times(second.numerator), first.denominator.times(second.denominator), [...first.legs, ...second.legs]);
    }
  }
  if (pair && (!cross || pair.date >= cross.date)) return result(pair.date, pair.inverted ? "inverse" : "direct", pair.numerator, pair.denominator, pair.legs);
  return cross;
}

/** amount (in `from`) × rate, with one division: 40 significant digits, not yet rounded to the minor unit. */
export function convert(amount: Decimal.Value, fx: Pick<FxConversion, "numerator" | "denominator">): Decimal {
  return new FxDecimal(new Exact(amount).times(fx.numerator)).div(new FxDecimal(fx.denominator));
}
