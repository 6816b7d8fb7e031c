// Display currency: the rates that turn organization-currency amounts of a span of local days into another currency,
// one rate per day by the same rule as event costs (rateFor, 7 days, inverse, cross via EUR). lib/currency/README.md.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { BadRequestError } from "@/lib/api/errors";
import Decimal from "decimal.js";
import { isActiveCurrency, roundToMinor } from "./iso4217";
import { daysBefore, MAX_AGE_DAYS, PIVOT, selectRate, type FxConversion, type StoredRate } from "./select";

export type DayRate = { day: string; date: string; method: FxConversion["method"]; rate: string; sources: string[] };

/** Currencies a display can use: those in at least one stored rate, plus the organization currency. */
export async function displayCurrencies(orgCurrency: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ code: string }[]>`SELECT base AS code FROM fx_rates UNION SELECT quote FROM fx_rates`;
  return [...new Set([orgCurrency, ...rows.map((r) => r.code)])].sort();
}

/** Refuses a display currency that is not ISO 4217 or has no stored rate at all (400 naming `field`). */
export async function checkDisplayCurrency(code: string, orgCurrency: string, field = "currency"): Promise<void> {
  if (code === orgCurrency) return;
  if (!isActiveCurrency(code)) throw new BadRequestError(`${field}: not an active ISO 4217 currency`, [{ path: field, message: `${code} is not an active ISO 4217 currency` }]);
  if (!(await displayCurrencies(orgCurrency)).includes(code)) throw new BadRequestError(`${field}: no FX rates stored for ${code}`, [{ path: field, message: `no FX rates stored for ${code}` }]);
}

/**
 * Selected day rates by the exact stored rows they were chosen from (pair + the rows' ids, dates, rates and sources):
 * selecting 180 days costs ~10 ms of 40-digit division, and a dashboard asks for the same days again and again. Keyed
 * by what was read, so it can never be stale; bounded (oldest key dropped).
 */
const selected = new Map<string, Map<string, DayRate | null>>();
const SELECTED_KEYS = 64;

/** The rate of each of `days` (sorted YYYY-MM-DD) from → to, read with one query; a day with no usable rate is absent. */
export async function dayRates(from: string, to: string, days: string[]): Promise<Map<string, DayRate>> {
  const out = new Map<string, DayRate>();
  if (days.length === 0) return out;
  const rows = await ratesAround([from, to], days[0]!, days.at(-1)!);
  const key = `${from}>${to}|${rows.map((r) => `${r.id}:${r.base}${r.quote}:${r.date}:${r.rate}:${r.source}`).sort().join(",")}`;
  let memo = selected.get(key);
  if (!memo) {
    if (selected.size >= SELECTED_KEYS) selected.delete(selected.keys().next().value!);
    selected.set(key, (memo = new Map()));
  }
  const sourceOf = new Map(rows.map((r) => [r.id, r.source]));
  for (const day of days) {
    let rate = memo.get(day);
    if (rate === undefined) {
      const fx = selectRate(from, to, day, rows);
      rate = fx && { day, date: fx.date, method: fx.method, rate: fx.rate.toFixed(), sources: [...new Set(fx.legs.map((l) => sourceOf.get(l.id)!))] };
      memo.set(day, rate);
    }
    if (rate) out.set(day, rate);
  }
  return out;
}

/** Every stored rate between `codes` and EUR that could serve a day from `first` to `last` (YYYY-MM-DD). */
export async function ratesAround(codes: string[], first: string, last: string, client: Pick<typeof db, "fxRate"> = db): Promise<(StoredRate & { source: string })[]> {
  const all = [...new Set([...codes, PIVOT])];
  const rows = await client.fxRate.findMany({
    where: { base: { in: all }, quote: { in: all }, date: { gte: new Date(`${daysBefore(first, MAX_AGE_DAYS)}T00:00:00Z`), lte: new Date(`${last}T00:00:00Z`) } },
    select: { id: true, base: true, quote: true, date: true, rate: true, source: true },
  });
  return rows.map((r) => ({ id: r.id, base: r.base, quote: r.quote, date: r.date.toISOString().slice(0, 10), rate: r.rate.toString(), source: r.source }));
}

/** A display currency's rates for a response: null when it is the organization currency (nothing to convert). */
export type DisplayFx = { from: string; to: string; rates: Map<string, DayRate> };

/** The one entry point of every page and API with a display currency: checks `currency` and reads the rates of `days`. */
export async function displayFx(orgCurrency: string, currency: string | undefined, days: string[]): Promise<DisplayFx | null> {
  if (!currency || currency === orgCurrency) return null;
  await checkDisplayCurrency(currency, orgCurrency);
  return { from: orgCurrency, to: currency, rates: await dayRates(orgCurrency, currency, days) };
}

/** LEFT JOIN giving each row `fx.rate`, the rate of its local day `day` (NULL: no usable rate, the cost is left unconverted). */
export function rateJoin(rates: Map<string, DayRate>, day: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`LEFT JOIN unnest(${[...rates.keys()]}::date[], ${[...rates.values()].map((r) => r.rate)}::numeric[]) AS fx(fx_day, rate) ON fx.fx_day = ${day}`;
}

/**
 * How a query over a daily rollup `r` reads cost with a display currency: `join` gives each row its day's rate,
 * `cost` is the converted amount (exact, numeric × the 40-digit rate; NULL without a rate, so sums skip it),
 * `unconverted` sums the org-currency cost of days without a rate, `round` rounds a sum once to the display currency.
 * Without one (null), all are the plain org-currency reading.
 */
export type FxSql = { converting: boolean; join: Prisma.Sql; cost: Prisma.Sql; unconverted: Prisma.Sql; round: (v: string) => string };
export function fxSql(fx: DisplayFx | null, day: Prisma.Sql = Prisma.sql`r.day`): FxSql {
  if (!fx) return { converting: false, join: Prisma.empty, cost: Prisma.sql`r.cost`, unconverted: Prisma.sql`0`, round: (v) => v };
  return {
    converting: true,
    join: rateJoin(fx.rates, day),
    cost: Prisma.sql`(r.cost * fx.rate)`,
    unconverted: Prisma.sql`coalesce(sum(r.cost) FILTER (WHERE fx.rate IS NULL), 0)`,
    round: (v) => roundToMinor(new Decimal(v), fx.to).toFixed(),
  };
}

/** The oldest and newest rate date among `rates` (null: none). */
export function datesOf(rates: (DayRate | undefined)[]): { first: string; last: string } | null {
  const dates = rates.filter((r) => r !== undefined).map((r) => r.date).sort();
  return dates.length ? { first: dates[0]!, last: dates.at(-1)! } : null;
}

/** What a converted response says about its rates over the local `days` it shows (the current range). */
export function conversionOf(fx: DisplayFx, days: string[]) {
  const { from, to, rates } = fx;
  return {
    from,
    to,
    sources: [...new Set(days.flatMap((d) => rates.get(d)?.sources ?? []))].sort(),
    rateDates: datesOf(days.map((d) => rates.get(d))),
    missingDays: days.filter((d) => !rates.has(d)),
    rates: [...rates.values()],
  };
}
