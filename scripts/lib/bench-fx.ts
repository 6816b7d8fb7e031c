// Multi-currency bench data (issue 20), shared by bench:ingest and bench:query (--currencies / BENCH_CURRENCIES=1):
// daily ECB-style EUR rates for USD, JPY and GBP on weekdays only (weekends served by the 7-day rule, as in
// production), so events sent in EUR/JPY/GBP convert at ingestion and dashboards can be read in those currencies.
import type pg from "pg";

export const BENCH_CURRENCIES = ["EUR", "JPY", "GBP"] as const;
/** Rough units per USD, to send amounts of a realistic size in each currency. */
export const PER_USD: Record<(typeof BENCH_CURRENCIES)[number], number> = { EUR: 0.93, JPY: 150, GBP: 0.79 };

/** EUR→USD/JPY/GBP for every weekday from `from` to `to` (YYYY-MM-DD), varying by day; existing rows are kept. */
export async function seedBenchRates(client: pg.Client, from: string, to: string): Promise<number> {
  const res = await client.query(
    `INSERT INTO fx_rates (base, quote, date, rate, source, created_by)
     SELECT 'EUR', q.quote, d::date, round(q.base * (1 + 0.02 * sin(extract(epoch FROM d) / 86400 / 5))::numeric, q.places), 'ecb', 'bench'
     FROM generate_series($1::date, $2::date, interval '1 day') d
     CROSS JOIN (VALUES ('USD', 1.0750, 4), ('JPY', 161.25, 2), ('GBP', 0.8500, 4)) AS q(quote, base, places)
     WHERE extract(isodow FROM d) < 6
     ON CONFLICT (base, quote, date) DO NOTHING`,
    [from, to],
  );
  return res.rowCount ?? 0;
}
