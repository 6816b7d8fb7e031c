// Shared by the recompute and correction tests: ingestion through the real write path, and exact expected costs.
import Decimal from "decimal.js";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { compilePolicy, UNRESTRICTED } from "@/lib/ingest/policy";
import { loadFxLookup } from "@/lib/currency/lookup";
import { fxNeeds, parseBatch, validateBatch } from "@/lib/ingest/validate";
import { loadDepartments, writeEvents } from "@/lib/ingest/writer";
import { loadPriceBook } from "@/lib/pricing/book";

/** The ingest service's path (validate, price, the one insert statement), without alert scheduling. */
export async function ingest(source: string, events: unknown[]): Promise<number> {
  const parsed = parseBatch(events);
  const [departments, prices, org] = await Promise.all([
    loadDepartments(pool, parsed.departmentCodes),
    loadPriceBook(pool),
    pool.query<{ time_zone: string }>("SELECT time_zone FROM organizations WHERE id = 1"),
  ]);
  const timeZone = org.rows[0]?.time_zone ?? "UTC";
  const fx = await loadFxLookup(pool, "USD", timeZone, fxNeeds(parsed.valid, "USD", timeZone, prices.currencies));
  const batch = validateBatch(parsed, {
    currency: "USD",
    now: Date.now(),
    maxClockSkewSeconds: env().INGEST_MAX_CLOCK_SKEW_SECONDS,
    departments,
    prices,
    fx,
    policy: { compiled: compilePolicy(UNRESTRICTED), lookups: { agents: null, customers: null, finalized: null } },
  });
  if (batch.rejected.length) throw new Error(`rejected: ${JSON.stringify(batch.rejected)}`);
  return writeEvents(pool, source, batch.rows);
}

export type Price = { model: string; from: Date; to: Date | null; input: string; output: string; cacheRead: string | null };

/** Cost from first principles (decimal.js): Σ tokens × price / 1e6, half-even to 10 decimals; null = unpriced. */
export function expectedCost(prices: Price[], model: string, at: Date, t: { input: number; output: number; cacheRead: number }): string | null {
  const price = prices
    .filter((p) => p.model === model && p.from <= at && (p.to === null || at < p.to))
    .sort((a, b) => b.from.getTime() - a.from.getTime())[0];
  if (!price) return null;
  return new Decimal(t.input).times(price.input)
    .plus(new Decimal(t.output).times(price.output))
    .plus(new Decimal(t.cacheRead).times(price.cacheRead ?? price.input))
    .div(1_000_000)
    .toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN)
    .toFixed(10);
}

type Totals = Record<string, string>;
const METRICS = `trim_scale(coalesce(sum(cost), 0))::text AS cost, trim_scale(coalesce(sum(computed_cost), 0))::text AS computed,
  trim_scale(coalesce(sum(quantity), 0))::text AS quantity, coalesce(sum(input_tokens), 0)::text AS input`;

/** Raw and rollup totals read in one snapshot (so a check between commits sees one consistent state). */
export async function totalsInOneSnapshot(): Promise<{ raw: Totals; hourly: Totals; daily: Totals; core: Totals; hourlyCore: Totals; dailyCustomer: Totals }> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const q = async (sql: string) => (await client.query<Totals>(sql)).rows[0]!;
    const raw = await q(`SELECT coalesce(sum(event_sign), 0)::text AS events, ${METRICS} FROM usage_events`);
    const hourly = await q(`SELECT coalesce(sum(events), 0)::text AS events, ${METRICS} FROM usage_rollup_hourly`);
    const daily = await q(`SELECT coalesce(sum(events), 0)::text AS events, ${METRICS} FROM usage_rollup_daily`);
    const core = await q(`SELECT coalesce(sum(events), 0)::text AS events, ${METRICS} FROM usage_rollup_daily_core`);
    const hourlyCore = await q(`SELECT coalesce(sum(events), 0)::text AS events, ${METRICS} FROM usage_rollup_hourly_core`);
    const dailyCustomer = await q(`SELECT coalesce(sum(events), 0)::text AS events, ${METRICS} FROM usage_rollup_daily_customer`);
    await client.query("COMMIT");
    return { raw, hourly, daily, core, hourlyCore, dailyCustomer };
  } finally {
    client.release();
  }
}
