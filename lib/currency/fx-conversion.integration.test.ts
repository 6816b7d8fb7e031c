// Costs sent in other currencies against real PostgreSQL: generated events in nine currencies (JPY with 0 decimals,
// KWD and BHD with 3) on days both sides of rate changes, some rates missing at ingestion and arriving later (with
// one stored rate changed). After ingestion and after the conversion run, every event's cost equals an independent
// decimal.js computation (or 0 and pending), the amount as sent is unchanged, rollups equal the raw events, and the
// pending summary counts exactly the events without a rate.
import Decimal from "decimal.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { expectRollupsMatchRebuild } from "@/lib/ingest/test-utils";
import { forgetOrgSettings } from "@/lib/org";
import { processRecomputeRun } from "@/lib/recompute/runs";
import { ingest, totalsInOneSnapshot } from "@/lib/recompute/test-utils";
import { seedBasics } from "@/tests/helpers/db";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { putFxRates } from "./admin";
import { fxPending } from "./pending";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const CURRENCIES = ["EUR", "JPY", "KWD", "BHD", "CHF", "GBP", "SEK", "INR", "NOK"] as const;
const DAYS = 16; // event days 2026-11-08 … 2026-11-23; rates from 2026-11-01
const FIRST_RATE_DAY = Date.parse("2026-11-01T00:00:00Z");
const FIRST_EVENT_DAY = Date.parse("2026-11-08T00:00:00Z");
const DAY = 86_400_000;
const TOKYO = 9 * 3_600_000; // Asia/Tokyo has no DST: an independent local day is UTC + 9 h
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const Wide = Decimal.clone({ precision: 100 });

type Rate = { base: string; quote: string; date: string; rate: string };

/** The rule, independently: EUR-based rates only, so a currency's rate is EUR→USD ÷ EUR→C, each leg the latest within 7 days. */
function expected(rates: Rate[], currency: string, amount: string, at: number): { cost: string; date: string } | null {
  const d = day(at + TOKYO);
  const oldest = day(Date.parse(`${d}T00:00:00Z`) - 7 * DAY);
  const leg = (quote: string) =>
    rates.filter((r) => r.base === "EUR" && r.quote === quote && r.date >= oldest && r.date <= d).sort((a, b) => (a.date < b.date ? 1 : -1))[0];
  const usd = leg("USD");
  const other = currency === "EUR" ? { rate: "1", date: "9999-12-31" } : leg(currency);
  if (!usd || !other) return null;
  const cost = new Wide(amount).times(usd.rate).div(other.rate).toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN);
  return { cost: cost.toFixed(10), date: usd.date < other.date ? usd.date : other.date };
}

type Stored = { key: string; cost: string; reported: string; original: string; currency: string; rateDate: string | null; pending: boolean };

async function check(rates: Rate[], events: { id: string; timestamp: string; cost: { amount: string; currency: string } }[]) {
  const { rows } = await pool.query<Stored>(`
    SELECT event_key AS key, cost::text, reported_cost::text AS reported, trim_scale(original_cost)::text AS original,
      trim(original_currency) AS currency, to_char(fx_rate_date, 'YYYY-MM-DD') AS "rateDate", fx_pending AS pending
    FROM usage_events`);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  let pending = 0;
  for (const e of events) {
    const stored = byKey.get(e.id)!;
    const want = expected(rates, e.cost.currency, e.cost.amount, Date.parse(e.timestamp));
    if (!want) pending++;
    expect({ key: e.id, original: stored.original, currency: stored.currency, cost: stored.cost, reported: stored.reported, date: stored.rateDate, pending: stored.pending }).toEqual({
      key: e.id,
      original: new Decimal(e.cost.amount).toFixed(),
      currency: e.cost.currency,
      cost: want?.cost ?? "0.0000000000",
      reported: want?.cost ?? "0.0000000000",
      date: want?.date ?? null,
      pending: !want,
    });
  }
  const totals = await totalsInOneSnapshot();
  expect(totals.hourly).toEqual(totals.raw);
  expect(totals.daily).toEqual(totals.raw);
  expect(totals.core).toEqual(totals.raw);
  expect(totals.hourlyCore).toEqual(totals.raw);
  expect(totals.dailyCustomer).toEqual(totals.raw);
  const summary = await fxPending(admin);
  expect(summary.events).toBe(pending);
  expect(summary.items.reduce((n, i) => n + i.events, 0)).toBe(pending);
}

async function runConversion(runId: number | null) {
  if (runId === null) return;
  while ((await processRecomputeRun(runId)) === "more");
}

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: "Asia/Tokyo" } });
  forgetOrgSettings();
  await db.user.create({ data: { id: 1, email: "admin@test", name: "Admin", role: "admin" } });
});

afterAll(async () => {
  await db.$disconnect();
});

// A positive rate between 0.1 and 20,000 with up to 4 decimals, the span of the ECB's reference rates (KWD ≈ 0.3,
// IDR ≈ 17,000 per EUR). Cross rates then stay below 200,000, so every generated amount converts within the cost column.
const rateArb = fc.integer({ min: 1_000, max: 200_000_000 }).map((n) => new Decimal(n).div(10_000).toFixed());
// An amount with up to 10 decimals (JPY-sized integers, KWD-sized 3-decimal amounts, sub-cent token costs).
const amountArb = fc.oneof(
  fc.integer({ min: 0, max: 40_000 }).map(String),
  fc.integer({ min: 0, max: 9_999_999 }).map((n) => new Decimal(n).div(1000).toFixed()),
  fc.integer({ min: 1, max: 99_999_999 }).map((n) => new Decimal(n).div(1e10).toFixed()),
);

describe("costs in other currencies", () => {
  it("convert exactly at ingestion, wait for missing rates, and convert when they arrive", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // Rates: EUR→quote per day (a new value each day it is given, so events fall on both sides of changes).
        fc.array(fc.record({ quote: fc.constantFrom("USD", ...CURRENCIES.filter((c) => c !== "EUR")), offset: fc.integer({ min: 0, max: DAYS + 6 }), rate: rateArb, late: fc.boolean() }), { minLength: 5, maxLength: 60 }),
        fc.array(fc.record({ currency: fc.constantFrom(...CURRENCIES), offset: fc.integer({ min: 0, max: DAYS * 24 - 1 }), amount: amountArb }), { minLength: 1, maxLength: 40 }),
        fc.option(rateArb, { nil: undefined }),
        async (rateSpecs, eventSpecs, changed) => {
          run++;
          await pool.query("TRUNCATE usage_events, usage_event_keys, usage_rollup_tail, usage_rollup_hourly_folded, usage_rollup_daily_folded, usage_rollup_daily_core_folded, usage_rollup_hourly_core_folded, usage_rollup_daily_customer_folded, budget_spend_daily, fx_rates, recompute_runs");
          const unique = new Map<string, Rate & { late: boolean }>();
          for (const r of rateSpecs) unique.set(`${r.quote}${r.offset}`, { base: "EUR", quote: r.quote, date: day(FIRST_RATE_DAY + r.offset * DAY), rate: r.rate, late: r.late });
          const plain = (r: Rate & { late: boolean }): Rate => ({ base: r.base, quote: r.quote, date: r.date, rate: r.rate });
          const early = [...unique.values()].filter((r) => !r.late).map(plain);
          const late = [...unique.values()].filter((r) => r.late).map(plain);
          if (early.length) await putFxRates(admin, { rates: early.map((r) => ({ ...r, source: "manual" as const })) });

          const events = eventSpecs.map((e, i) => ({
            id: `fx-${run}-${i}`,
            timestamp: new Date(FIRST_EVENT_DAY - TOKYO + e.offset * 3_600_000 + 1_000).toISOString(),
            agent: "bot",
            type: "llm.call",
            cost: { amount: e.amount, currency: e.currency },
          }));
          await ingest("fx-test", events);
          await check(early, events);

          // Late rates arrive, and one early rate is corrected: pending events convert, affected ones re-convert.
          const correction = changed && early[0] ? [{ ...early[0], rate: changed }] : [];
          const arriving = [...late, ...correction];
          if (arriving.length) {
            const result = await putFxRates(admin, { rates: arriving.map((r) => ({ ...r, source: "manual" as const })) });
            await runConversion(result.conversionRunId);
          }
          const all = [...early.filter((r) => !correction.some((c) => c.quote === r.quote && c.date === r.date)), ...arriving];
          await check(all, events);
        },
      ),
      { numRuns: propertyRuns(100) },
    );
    await expectRollupsMatchRebuild();
  }, 600_000);
});
