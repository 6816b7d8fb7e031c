// Calendar periods in the organization's time zone. Days are "YYYY-MM-DD" strings, inclusive on both ends.
import { TZDate } from "@date-fns/tz";
import { addDays, differenceInCalendarDays, format, parseISO } from "date-fns";
import { z } from "zod";

export const dayString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((s) => !Number.isNaN(parseISO(s).getTime()) && format(parseISO(s), "yyyy-MM-dd") === s, "is not a valid calendar date");

export type DayRange = { from: string; to: string };

export function todayIn(timeZone: string): string {
  return format(new TZDate(Date.now(), timeZone), "yyyy-MM-dd");
}

export function shiftDay(day: string, days: number): string {
  return format(addDays(parseISO(day), days), "yyyy-MM-dd");
}

export function rangeLength(range: DayRange): number {
  return differenceInCalendarDays(parseISO(range.to), parseISO(range.from)) + 1;
}

/** The range of equal length that ends the day before `range` starts. */
export function previousRange(range: DayRange): DayRange {
  const length = rangeLength(range);
  return { from: shiftDay(range.from, -length), to: shiftDay(range.from, -1) };
}

/** Last `days` days up to today in the time zone. */
export function lastDays(timeZone: string, days: number): DayRange {
  const to = todayIn(timeZone);
  return { from: shiftDay(to, -(days - 1)), to };
}

/** Optional from/to fields; other query schemas spread them and add `checkRange`. */
export const rangeFields = { from: dayString.optional(), to: dayString.optional() };

/** `to` must not precede `from`; at most ~5 years. */
export function checkRange(q: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  if (!q.from || !q.to) return;
  if (q.from > q.to) ctx.addIssue({ code: "custom", message: "must not be before 'from'", path: ["to"] });
  else if (rangeLength({ from: q.from, to: q.to }) > 1830) ctx.addIssue({ code: "custom", message: "range longer than 5 years", path: ["to"] });
}

/** Validates an optional from/to pair (defaults: last 30 days). */
export const rangeQuery = z.object(rangeFields).superRefine(checkRange);

export function resolveRange(query: { from?: string; to?: string }, timeZone: string, defaultDays = 30): DayRange {
  if (query.from && query.to) return { from: query.from, to: query.to };
  if (query.from) return { from: query.from, to: todayIn(timeZone) < query.from ? query.from : todayIn(timeZone) };
  if (query.to) return { from: shiftDay(query.to, -(defaultDays - 1)), to: query.to };
  return lastDays(timeZone, defaultDays);
}

/** Every day of the range, for filling gaps in series. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (let d = range.from; d <= range.to; d = shiftDay(d, 1)) days.push(d);
  return days;
}
