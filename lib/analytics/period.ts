// Calendar periods in the organization's time zone. Days are "YYYY-MM-DD" strings, inclusive on both ends.
import { format, parseISO } from "date-fns";
import { z } from "zod";
import { BadRequestError, type ErrorDetail } from "@/lib/api/errors";
import { MAX_RANGE_DAYS } from "@/lib/api/limits";
import { addDaysTo as shiftDay, dayIn, lengthOf as rangeLength, type DayRange } from "@/lib/periods";

// Years 1900–2999: wide enough for any real query, and a default or previous period shifted from either end stays a
// date PostgreSQL and date-fns agree on (year 0000 is neither's).
export const dayString = z
  .string()
  .regex(/^(19|2\d)\d{2}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD between 1900-01-01 and 2999-12-31")
  .refine((s) => !Number.isNaN(parseISO(s).getTime()) && format(parseISO(s), "yyyy-MM-dd") === s, "is not a valid calendar date");

export type { DayRange } from "@/lib/periods";

export function todayIn(timeZone: string): string {
  return dayIn(timeZone);
}

export { addDaysTo as shiftDay, lengthOf as rangeLength } from "@/lib/periods";

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

/**
 * What is wrong with a resolved range, as error details naming the field and the limit; empty when it is fine.
 * The one rule for every read: `to` not before `from`, and at most 5 years, or less where a finer granularity
 * asks for it (`limit.field` then names that parameter and `limit.reason` says why).
 */
export function rangeIssues(range: DayRange, limit: RangeLimit = {}): ErrorDetail[] {
  if (range.from > range.to) return [{ path: "to", message: "must not be before 'from'" }];
  const days = rangeLength(range);
  const maxDays = limit.maxDays ?? MAX_RANGE_DAYS;
  if (days <= maxDays) return [];
  const most = maxDays === MAX_RANGE_DAYS ? `${maxDays} days (5 years)` : `${maxDays} days`;
  return [{ path: limit.field ?? "from", message: `the range ${range.from} to ${range.to} is ${days} days; ${limit.reason ?? "a request"} allows at most ${most}` }];
}
export type RangeLimit = { maxDays?: number; field?: string; reason?: string };

/** Schema-level check when both ends are given (the resolved range is checked again by resolveRange). */
export function checkRange(q: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  if (!q.from || !q.to) return;
  for (const issue of rangeIssues({ from: q.from, to: q.to })) {
    ctx.addIssue({ code: "custom", message: issue.message, path: [issue.path] });
  }
}

/** Validates an optional from/to pair (defaults: last 30 days). */
export const rangeQuery = z.object(rangeFields).superRefine(checkRange);

/** The range a query means (defaults: the last `defaultDays` days up to today), unchecked: pages show it as asked. */
export function requestedRange(query: { from?: string; to?: string }, timeZone: string, defaultDays = 30): DayRange {
  if (query.from && query.to) return { from: query.from, to: query.to };
  if (query.from) return { from: query.from, to: todayIn(timeZone) < query.from ? query.from : todayIn(timeZone) };
  if (query.to) return { from: shiftDay(query.to, -(defaultDays - 1)), to: query.to };
  return lastDays(timeZone, defaultDays);
}

/** The range a read request covers, after defaults; a 400 naming the limit when it breaks rangeIssues. */
export function resolveRange(query: { from?: string; to?: string }, timeZone: string, limit: RangeLimit = {}): DayRange {
  const range = requestedRange(query, timeZone);
  const issues = rangeIssues(range, limit);
  if (issues.length) throw new BadRequestError(`Invalid date range: ${issues[0]!.message}`, issues);
  return range;
}

/** Every day of the range, for filling gaps in series. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (let d = range.from; d <= range.to; d = shiftDay(d, 1)) days.push(d);
  return days;
}
