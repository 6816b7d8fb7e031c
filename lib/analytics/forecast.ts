// Month-end spend forecast from the trend so far (pure: the caller supplies daily costs).
import Decimal from "decimal.js";
import { endOfMonth, format, parseISO } from "date-fns";
import { shiftDay } from "./period";

/** Days of history the run rate averages: a full week, so weekday/weekend swings cancel out. */
export const RUN_RATE_DAYS = 7;

export type Forecast = {
  month: string;
  /** Spend of the month so far, today's partial day included. */
  monthToDate: string;
  /** Mean daily spend of the last RUN_RATE_DAYS complete days. */
  runRate: string;
  /** Spend of the month's complete days + run rate × the days left (today included, as its spend is partial). */
  forecast: string;
};

/** The first day the forecast needs costs for (`dailyCost` must cover it through today). */
export function forecastFrom(today: string): string {
  const monthStart = `${today.slice(0, 7)}-01`;
  const lookback = shiftDay(today, -RUN_RATE_DAYS);
  return lookback < monthStart ? lookback : monthStart;
}

export function forecastMonthEnd(today: string, dailyCost: (day: string) => string): Forecast {
  const monthStart = `${today.slice(0, 7)}-01`;
  const lastDay = format(endOfMonth(parseISO(today)), "yyyy-MM-dd");
  let complete = new Decimal(0);
  for (let d = monthStart; d < today; d = shiftDay(d, 1)) complete = complete.plus(dailyCost(d));
  let recent = new Decimal(0);
  for (let i = 1; i <= RUN_RATE_DAYS; i++) recent = recent.plus(dailyCost(shiftDay(today, -i)));
  const runRate = recent.div(RUN_RATE_DAYS);
  const daysLeft = Number(lastDay.slice(8)) - Number(today.slice(8)) + 1;
  const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
  return {
    month: today.slice(0, 7),
    monthToDate: cents(complete.plus(dailyCost(today))),
    runRate: cents(runRate),
    forecast: cents(complete.plus(runRate.times(daysLeft))),
  };
}
