// Months as periods ("YYYY-MM"), in the organization's time zone (the month-end forecast: lib/analytics/forecast.ts).
import { TZDate } from "@date-fns/tz";
import { endOfMonth, format, parseISO } from "date-fns";
import { z } from "zod";
import type { DayRange } from "@/lib/analytics/period";

export const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");

export function monthRange(period: string): DayRange {
  const first = parseISO(`${period}-01`);
  return { from: format(first, "yyyy-MM-dd"), to: format(endOfMonth(first), "yyyy-MM-dd") };
}

/** The local day (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(timeZone: string, now: Date = new Date()): string {
  return format(new TZDate(now.getTime(), timeZone), "yyyy-MM-dd");
}
