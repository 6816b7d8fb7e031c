// Budget periods in the organization's time zone: a day, an ISO week (Monday to Sunday) or a calendar month.
// Pure. Periods are whole local days ("YYYY-MM-DD", end exclusive), so a daylight-saving day (23 or 25 hours)
// is still one day; only `resetsAt` turns the next local midnight into an instant.
import { TZDate } from "@date-fns/tz";
import { addDaysTo, dayIn } from "@/lib/periods";

export type BudgetPeriod = "day" | "week" | "month";
export type PeriodWindow = { from: string; to: string; resetsAt: Date };

/** The instant a local day starts (local midnight; where midnight is skipped, the first instant after it). */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, 0, 0, 0, timeZone).getTime());
}

export function periodWindow(period: BudgetPeriod, timeZone: string, now: Date): PeriodWindow {
  const today = dayIn(timeZone, now);
  let from: string;
  let to: string;
  if (period === "day") {
    from = today;
    to = addDaysTo(today, 1);
  } else if (period === "week") {
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
    from = addDaysTo(today, -weekday);
    to = addDaysTo(from, 7);
  } else {
    from = `${today.slice(0, 7)}-01`;
    const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
    to = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  }
  return { from, to, resetsAt: startOfLocalDay(to, timeZone) };
}

/** The earliest day any current period starts on (the week can start in the previous month). */
export function windowStart(timeZone: string, now: Date): string {
  const week = periodWindow("week", timeZone, now).from;
  const month = periodWindow("month", timeZone, now).from;
  return week < month ? week : month;
}
