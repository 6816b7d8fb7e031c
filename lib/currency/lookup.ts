// Loads, in one query, every stored rate a set of (currency, day) conversions into the organization currency can use.
import "server-only";
import type { Pool, PoolClient } from "pg";
import { fxLookup, type FxLookup } from "./event-cost";
import { daysBefore, MAX_AGE_DAYS, PIVOT } from "./select";

export async function loadFxLookup(client: Pool | PoolClient, to: string, timeZone: string, needs: { currency: string; day: string }[]): Promise<FxLookup> {
  if (needs.length === 0) return fxLookup(to, timeZone, []);
  const days = needs.map((n) => n.day).sort();
  const codes = [...new Set([...needs.map((n) => n.currency), to, PIVOT])];
  const { rows } = await client.query<{ id: number; base: string; quote: string; date: string; rate: string }>(
    `SELECT id, base, quote, to_char(date, 'YYYY-MM-DD') AS date, rate::text AS rate FROM fx_rates
     WHERE base = ANY($1::bpchar[]) AND quote = ANY($1::bpchar[]) AND date BETWEEN $2::date AND $3::date`,
    [codes, daysBefore(days[0]!, MAX_AGE_DAYS), days.at(-1)!],
  );
  return fxLookup(to, timeZone, rows);
}
