// rateFor: the stored FX rate that converts one currency into another on a day (rule in ./select.ts and
// lib/currency/README.md), read from fx_rates with one query.
import "server-only";
import { db } from "@/lib/db";
import { daysBefore, MAX_AGE_DAYS, PIVOT, selectRate, type FxConversion, type StoredRate } from "./select";

export { convert, MAX_AGE_DAYS, PIVOT, type FxConversion, type RateLeg } from "./select";

type Reader = Pick<typeof db, "fxRate">;

/** Every row that could serve from → to on `day`: the pair, its inverse and the legs through the pivot, in the window. */
export async function candidateRates(from: string, to: string, day: string, client: Reader = db): Promise<StoredRate[]> {
  const codes = [...new Set([from, to, PIVOT])];
  const rows = await client.fxRate.findMany({
    where: { base: { in: codes }, quote: { in: codes }, date: { gte: new Date(`${daysBefore(day, MAX_AGE_DAYS)}T00:00:00Z`), lte: new Date(`${day}T00:00:00Z`) } },
    select: { id: true, base: true, quote: true, date: true, rate: true },
  });
  return rows.map((r) => ({ id: r.id, base: r.base, quote: r.quote, date: r.date.toISOString().slice(0, 10), rate: r.rate.toString() }));
}

/**
 * The rate converting `from` into `to` on `day` (YYYY-MM-DD, the organization's calendar day): the latest stored
 * rate on or before it, at most 7 days old, direct, inverse or crossed through EUR; with the rows and date used.
 * null when no rate qualifies (the amount then awaits a rate; it is never converted at 0 or 1).
 */
export async function rateFor(from: string, to: string, day: string, client: Reader = db): Promise<FxConversion | null> {
  if (from === to) return selectRate(from, to, day, []);
  return selectRate(from, to, day, await candidateRates(from, to, day, client));
}
