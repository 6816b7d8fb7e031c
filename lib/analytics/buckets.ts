// Calendar buckets (day/week/month) in the organization's time zone, shared by the SQL and the gap filling.
import { TZDate } from "@date-fns/tz";
import { format, parseISO, startOfWeek } from "date-fns";
import { daysOf, type DayRange } from "./period";

export type CalendarGranularity = "day" | "week" | "month";

/** Start day of the bucket holding `day`: weeks start on Monday (ISO, like PostgreSQL's date_trunc('week')). */
export function bucketOf(day: string, granularity: CalendarGranularity): string {
  if (granularity === "day") return day;
  if (granularity === "month") return `${day.slice(0, 7)}-01`;
  return format(startOfWeek(parseISO(day), { weekStartsOn: 1 }), "yyyy-MM-dd");
}

/** Every bucket start touching the range, in order (the first week/month may start before `from`). */
export function bucketsOf(range: DayRange, granularity: CalendarGranularity): string[] {
  return [...new Set(daysOf(range).map((d) => bucketOf(d, granularity)))];
}

// A chart formats ~1,000 points: TZDate + format cost ~100 µs each, Intl's formatToParts ~10 µs. So one
// formatter per zone, and each bucket's text is remembered (a few thousand distinct days and hours in use).
const formatters = new Map<string, Intl.DateTimeFormat>();
const isoCache = new Map<string, string>();

function remembered(key: string, compute: () => string): string {
  let value = isoCache.get(key);
  if (value === undefined) {
    if (isoCache.size >= 100_000) isoCache.clear();
    isoCache.set(key, (value = compute()));
  }
  return value;
}

/** Local wall-clock fields of an instant (whole seconds) and the zone's UTC offset then, in minutes. */
function wallClock(ms: number, timeZone: string) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    const options = { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" } as const;
    formatters.set(timeZone, (formatter = new Intl.DateTimeFormat("en-US", options)));
  }
  const f: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter.formatToParts(ms)) f[part.type] = part.value;
  const local = Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute), Number(f.second));
  const offset = Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
  return { text: `${f.year!.padStart(4, "0")}-${f.month}-${f.day}T${f.hour}:${f.minute}:${f.second}`, offset };
}

/** "Z" or ±hh:mm, as date-fns' XXX writes it. */
function offsetText(minutes: number): string {
  if (minutes === 0) return "Z";
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** ISO 8601 of local midnight of `day` in `timeZone`, with its UTC offset (e.g. 2026-03-08T00:00:00-05:00). */
export function localDayIso(day: string, timeZone: string): string {
  return remembered(`${timeZone} ${day}`, () => computeLocalDayIso(day, timeZone));
}

function computeLocalDayIso(day: string, timeZone: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // The offset at midnight, found in two steps because it may differ from the offset at UTC midnight.
  const instant = utcMidnight - wallClock(utcMidnight - wallClock(utcMidnight, timeZone).offset * 60_000, timeZone).offset * 60_000;
  const local = wallClock(instant, timeZone);
  if (local.text === `${day}T00:00:00`) return local.text + offsetText(local.offset);
  // Midnight does not exist that day (a DST jump at 00:00): TZDate's rule picks the instant.
  return format(new TZDate(y, m - 1, d, timeZone), "yyyy-MM-dd'T'HH:mm:ssXXX");
}

/** ISO 8601 of an instant as local time in `timeZone`, with its offset. */
export function instantIso(instant: Date, timeZone: string): string {
  return remembered(`${timeZone} ${instant.getTime()}`, () => {
    const local = wallClock(instant.getTime(), timeZone);
    return local.text + offsetText(local.offset);
  });
}

/**
 * SQL for the bucket start of a daily-rollup row `r` (a date or timestamp; `::timestamp` keeps the session time
 * zone out of date_trunc). Group by this and format with to_char afterwards: grouping 80k rows by text is ~2× slower.
 */
export function dayBucketSql(granularity: CalendarGranularity, day = "r.day"): string {
  return granularity === "day" ? day : `date_trunc('${granularity}', ${day}::timestamp)`;
}
