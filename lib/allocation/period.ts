// Months as periods ("YYYY-MM"), in the organization's time zone, and the run-rate forecast to month end.
import { TZDate } from "@date-fns/tz";
import { endOfMonth, format, parseISO } from "date-fns";
import { z } from "zod";
import type { DayRange } from "@/lib/analytics/period";
import { ZERO, type Decimal } from "./decimal";
import { roundCents } from "./apportion";

export const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");

export function monthRange(period: string): DayRange {
  const first = parseISO(`${period}-01`);
  return { from: format(first, "yyyy-MM-dd"), to: format(endOfMonth(first), "yyyy-MM-dd") };
}

/** The local day (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(timeZone: string, now: Date = new Date()): string {
  return format(new TZDate(now.getTime(), timeZone), "yyyy-MM-dd");
}

/**
 * Linear run rate: spend so far ÷ days elapsed (today counts as elapsed) × days in the month.
 * A past month's forecast is its actual spend; a future month's is zero. Rounded half-even to the cent.
 */
export function forecastMonthEnd(actual: Decimal, period: string, today: string): Decimal {
  const { from, to } = monthRange(period);
  if (today > to) return actual;
  if (today < from) return ZERO;
  const elapsed = Number(today.slice(8, 10));
  const days = Number(to.slice(8, 10));
  return roundCents(actual.div(elapsed).times(days));
}

/** The month before `period` (YYYY-MM). */
export function previousMonth(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The month after `period` (YYYY-MM). */
export function nextMonth(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}
