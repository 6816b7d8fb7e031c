// Periods finance uses, computed in one place: presets (last month, month/quarter/year to date with the fiscal year
// starting in the organization's fiscal month, last 7/30/90 days), previous/next period, and the organization's local
// "today". Pure and client-safe: days are "YYYY-MM-DD" strings in the organization's time zone, inclusive, so
// daylight-saving changes never move a boundary (only `dayIn` turns an instant into a local day).
import { TZDate } from "@date-fns/tz";
import { addDays, addMonths, differenceInCalendarDays, endOfMonth, format, parseISO } from "date-fns";

export type DayRange = { from: string; to: string };

export type PresetKey = "last_month" | "month_to_date" | "quarter_to_date" | "year_to_date" | "last_7_days" | "last_30_days" | "last_90_days";

export const PRESETS: readonly { key: PresetKey; label: string }[] = [
  { key: "last_month", label: "Last month" },
  { key: "month_to_date", label: "Month to date" },
  { key: "quarter_to_date", label: "Quarter to date" },
  { key: "year_to_date", label: "Year to date" },
  { key: "last_7_days", label: "Last 7 days" },
  { key: "last_30_days", label: "Last 30 days" },
  { key: "last_90_days", label: "Last 90 days" },
];

const day = (d: Date) => format(d, "yyyy-MM-dd");

/** The local day of an instant in a time zone. */
export function dayIn(timeZone: string, now: Date = new Date()): string {
  return format(new TZDate(now.getTime(), timeZone), "yyyy-MM-dd");
}

export function addDaysTo(d: string, days: number): string {
  return day(addDays(parseISO(d), days));
}

export function lengthOf(range: DayRange): number {
  return differenceInCalendarDays(parseISO(range.to), parseISO(range.from)) + 1;
}

/** A calendar month ("YYYY-MM") as days. */
export function monthRange(month: string): DayRange {
  const first = parseISO(`${month}-01`);
  return { from: day(first), to: day(endOfMonth(first)) };
}

/** The month `months` after (or before) one ("YYYY-MM"). */
export function shiftMonth(month: string, months: number): string {
  return format(addMonths(parseISO(`${month}-01`), months), "yyyy-MM");
}

/** The last month that has ended by `today`: what Allocation and Invoices open on. */
export function lastCompleteMonth(today: string): string {
  return shiftMonth(today.slice(0, 7), -1);
}

type Unit = "month" | "quarter" | "year";
const UNIT_MONTHS: Record<Unit, number> = { month: 1, quarter: 3, year: 12 };

/** First day of the month/fiscal quarter/fiscal year containing `d` (fiscal year from month `fiscalStart`, 1–12). */
function unitStart(d: string, unit: Unit, fiscalStart: number): string {
  const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
  const size = UNIT_MONTHS[unit];
  const offset = unit === "month" ? 0 : fiscalStart - 1;
  // Months since the fiscal origin, floored to the unit.
  const index = y * 12 + (m - 1) - offset;
  const start = Math.floor(index / size) * size + offset;
  return `${String(Math.floor(start / 12)).padStart(4, "0")}-${String((start % 12) + 1).padStart(2, "0")}-01`;
}

function unitRange(start: string, unit: Unit): DayRange {
  return { from: start, to: day(addDays(addMonths(parseISO(start), UNIT_MONTHS[unit]), -1)) };
}

export function presetRange(key: PresetKey, today: string, fiscalStart = 1): DayRange {
  switch (key) {
    case "last_month":
      return monthRange(lastCompleteMonth(today));
    case "month_to_date":
      return { from: unitStart(today, "month", fiscalStart), to: today };
    case "quarter_to_date":
      return { from: unitStart(today, "quarter", fiscalStart), to: today };
    case "year_to_date":
      return { from: unitStart(today, "year", fiscalStart), to: today };
    default: {
      const days = Number(key.split("_")[1]);
      return { from: addDaysTo(today, -(days - 1)), to: today };
    }
  }
}

/** The presets that pick exactly this range today (several can: on 1–10 January, MTD = QTD = YTD). */
export function activePresets(range: DayRange, today: string, fiscalStart = 1): PresetKey[] {
  return PRESETS.filter((p) => {
    const r = presetRange(p.key, today, fiscalStart);
    return r.from === range.from && r.to === range.to;
  }).map((p) => p.key);
}

/** The smallest whole unit the range is (or is "to date" of, ending today), else null (a run of days). */
function unitOf(range: DayRange, today: string, fiscalStart: number): Unit | null {
  for (const unit of ["month", "quarter", "year"] as const) {
    if (unitStart(range.from, unit, fiscalStart) !== range.from) continue;
    const whole = unitRange(range.from, unit);
    if (range.to === whole.to || (range.to === today && today >= whole.from && today < whole.to)) return unit;
  }
  return null;
}

/**
 * The period before (-1) or after (+1) a range. A month, fiscal quarter or fiscal year (or one to date) steps a whole
 * unit: the previous of "quarter to date" is the whole previous quarter; other ranges step by their length. A step
 * never reaches past `today` (a period containing today ends today); null when the next period has not started.
 */
export function stepPeriod(range: DayRange, direction: -1 | 1, today: string, fiscalStart = 1): DayRange | null {
  const unit = unitOf(range, today, fiscalStart);
  let next: DayRange;
  if (unit) {
    const start = day(addMonths(parseISO(range.from), direction * UNIT_MONTHS[unit]));
    next = unitRange(start, unit);
  } else {
    const length = lengthOf(range);
    next = { from: addDaysTo(range.from, direction * length), to: addDaysTo(range.to, direction * length) };
    // A run of days stepping into today keeps its length and ends today.
    if (direction === 1 && next.to > today && range.to < today) next = { from: addDaysTo(today, -(length - 1)), to: today };
  }
  if (next.from > today) return null;
  return next.to > today ? { from: next.from, to: today } : next;
}

/** The month before/after ("YYYY-MM"), or null when it has not started by `today`. */
export function stepMonth(month: string, direction: -1 | 1, today: string): string | null {
  const next = shiftMonth(month, direction);
  return monthRange(next).from > today ? null : next;
}
