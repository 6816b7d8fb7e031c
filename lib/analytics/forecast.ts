// The month-end spend forecast: the one definition every page, API, export and alert uses (pure; callers sum the
// spend of the ranges the plan names, from whatever they read: the daily rollup, or allocated department cost).
//
//   forecast = spend of the month's complete days + run rate × days remaining (today included: its spend is partial)
//   run rate = mean daily spend of the last 7 complete days (before today), in the organization's time zone
//
// Edge cases, written down once:
// - first day of the month: no complete day yet; the run rate comes from the end of the previous month;
// - fewer than 7 complete days of history (the organization's first data is recent): the run rate averages the
//   complete days since the first day with data; with none, the run rate is 0;
// - a forecast never falls below what is already spent (month to date, today's partial spend included);
// - a past month: its actual spend (no days remain); a future month: run rate × its days.
import Decimal from "decimal.js";
import { monthRange, type DayRange } from "@/lib/periods";
import { rangeLength, shiftDay } from "./period";

/** Days of history the run rate averages: a full week, so weekday/weekend swings cancel out. */
export const RUN_RATE_DAYS = 7;

export type Forecast = {
  month: string;
  /** Spend of the month so far, today's partial day included. */
  monthToDate: string;
  /** Mean daily spend of the last `runRateDays` complete days. */
  runRate: string;
  /** Complete days the run rate averages: 7, fewer when history is shorter, 0 for a past month. */
  runRateDays: number;
  /** Days of the month still to come, today included. */
  daysRemaining: number;
  forecast: string;
};

/** The ranges whose spend a forecast of `month` (YYYY-MM) as of `today` needs. */
export type ForecastPlan = {
  month: string;
  /** The month's complete days (before today); null when none is complete yet. */
  complete: DayRange | null;
  /** Today, when it falls in the month. */
  partial: string | null;
  /** The run-rate window: the last complete days before today, not before the first day with data. */
  window: DayRange | null;
  daysRemaining: number;
};

/** `firstDataDay`: the organization's first day with data (null: none yet). */
export function forecastPlan(month: string, today: string, firstDataDay: string | null): ForecastPlan {
  const { from, to } = monthRange(month);
  if (to < today) return { month, complete: { from, to }, partial: null, window: null, daysRemaining: 0 };
  const yesterday = shiftDay(today, -1);
  let windowFrom = shiftDay(today, -RUN_RATE_DAYS);
  if (firstDataDay && firstDataDay > windowFrom) windowFrom = firstDataDay;
  const window = firstDataDay && windowFrom <= yesterday ? { from: windowFrom, to: yesterday } : null;
  if (from > today) return { month, complete: null, partial: null, window, daysRemaining: rangeLength({ from, to }) };
  return {
    month,
    complete: from < today ? { from, to: yesterday } : null,
    partial: today,
    window,
    daysRemaining: rangeLength({ from: today, to }),
  };
}

const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

/** The forecast from the spend of the plan's ranges (exact decimals; rounded half up to the cent once, here). */
export function forecastFigures(plan: ForecastPlan, spend: { complete: Decimal.Value; partial: Decimal.Value; window: Decimal.Value }): Forecast {
  const complete = new Decimal(plan.complete ? spend.complete : 0);
  const monthToDate = complete.plus(plan.partial ? spend.partial : 0);
  const runRateDays = plan.window ? rangeLength(plan.window) : 0;
  const runRate = runRateDays ? new Decimal(spend.window).div(runRateDays) : new Decimal(0);
  const projected = complete.plus(runRate.times(plan.daysRemaining));
  return {
    month: plan.month,
    monthToDate: cents(monthToDate),
    runRate: cents(runRate),
    runRateDays,
    daysRemaining: plan.daysRemaining,
    forecast: cents(Decimal.max(projected, monthToDate)),
  };
}

/** The first day a forecast's sums read (with the plan's window, the month's first day, or null when none). */
export function planFrom(plan: ForecastPlan): string | null {
  const days = [plan.complete?.from, plan.partial, plan.window?.from].filter((d): d is string => Boolean(d));
  return days.length ? days.sort()[0]! : null;
}

/** Convenience over a day → spend function (unit tests, small callers). */
export function forecastFromDaily(plan: ForecastPlan, dailyCost: (day: string) => Decimal.Value): Forecast {
  const over = (range: DayRange | null) => {
    let total = new Decimal(0);
    if (range) for (let d = range.from; d <= range.to; d = shiftDay(d, 1)) total = total.plus(dailyCost(d));
    return total;
  };
  return forecastFigures(plan, { complete: over(plan.complete), partial: plan.partial ? dailyCost(plan.partial) : 0, window: over(plan.window) });
}
