// An event cost sent in another currency, in the organization's: the rate rule is select.ts's; this file fixes the
// day it is asked for and the rounding. Pure (no database), shared by ingestion, the `fx` recompute kind and tests.
import Decimal from "decimal.js";
import { convert, selectRate, type FxConversion, type StoredRate } from "./select";

/** Event costs are stored with 10 decimals (usage_events.cost numeric(20,10)). */
export const COST_DECIMALS = 10;
const MAX_COST = new Decimal("9999999999.9999999999");

/**
 * amount × rate, half-even to 10 decimals, once; null when it does not fit the cost column. Not to the minor unit:
 * event costs are often sub-cent (0.0004 CHF would become 0.00 USD), and billing rounds each invoice line once.
 */
export function convertedCost(amount: Decimal.Value, fx: Pick<FxConversion, "numerator" | "denominator">): string | null {
  const cost = convert(amount, fx).toDecimalPlaces(COST_DECIMALS, Decimal.ROUND_HALF_EVEN);
  return cost.abs().gt(MAX_COST) ? null : cost.toFixed(COST_DECIMALS);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone: the day whose rate converts an event. */
export function localDay(at: number | Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formats.set(timeZone, format);
  }
  return format.format(at);
}

/** Converts costs into `to` on a day: a rate per (currency, day), null when none qualifies yet. */
export type FxLookup = { to: string; timeZone: string; rate(from: string, day: string): FxConversion | null };

/** A lookup over preloaded stored rates (each (currency, day) selected once). */
export function fxLookup(to: string, timeZone: string, rows: readonly StoredRate[]): FxLookup {
  const memo = new Map<string, FxConversion | null>();
  return {
    to,
    timeZone,
    rate(from, day) {
      const key = `${from} ${day}`;
      if (!memo.has(key)) memo.set(key, selectRate(from, to, day, rows));
      return memo.get(key)!;
    },
  };
}

/** How an event stores a cost that arrived (or was priced) in another currency than the organization's. */
export type ForeignCost = { cost: string; originalCost: string; originalCurrency: string; fxRate: string | null; fxRateDate: string | null; fxPending: boolean };

/**
 * `amount` in `currency` on `day`, for the event: the conversion (10 decimals) and the rate used, or cost 0 and pending
 * without a rate; null when the conversion does not fit the cost column. Used for reported costs and for costs
 * computed from a model price listed in another currency, so both convert the same way.
 */
export function foreignCost(amount: string, currency: string, day: string, fx: FxLookup): ForeignCost | null {
  const rate = fx.rate(currency, day);
  const cost = rate ? convertedCost(amount, rate) : "0";
  if (cost === null) return null;
  return { cost, originalCost: amount, originalCurrency: currency, fxRate: rate?.rate.toFixed() ?? null, fxRateDate: rate?.date ?? null, fxPending: !rate };
}
