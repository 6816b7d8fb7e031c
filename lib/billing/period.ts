// Billing periods: calendar months in the organization's time zone, as [start, end) UTC instants.
import { TZDate } from "@date-fns/tz";
import { z } from "zod";

export const periodString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");

export type BillingPeriod = { period: string; start: Date; end: Date };

export function billingPeriod(period: string, timeZone: string): BillingPeriod {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const start = new TZDate(year, month - 1, 1, timeZone);
  const end = new TZDate(year, month, 1, timeZone);
  return { period, start: new Date(start.getTime()), end: new Date(end.getTime()) };
}

export function periodOf(instant: Date, timeZone: string): string {
  const local = new TZDate(instant.getTime(), timeZone);
  return `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, "0")}`;
}

export function shiftPeriod(period: string, months: number): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The period's last calendar day (YYYY-MM-DD, a local date in the organization's time zone), e.g. "2026-02-28". */
export function lastDayOf(period: string): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
