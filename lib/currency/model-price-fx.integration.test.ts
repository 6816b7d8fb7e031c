// Model prices listed in another currency (a provider billing in EUR) against real PostgreSQL: the computed cost is
// converted like a reported one — the amount in the price's currency and the rate kept on the event, pending without a
// rate, converted when the rate arrives, re-converted when the price changes — checked against decimal.js.
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { forgetOrgSettings } from "@/lib/org";
import { createRecomputeRun, processRecomputeRun } from "@/lib/recompute/runs";
import { ingest, totalsInOneSnapshot } from "@/lib/recompute/test-utils";
import { seedBasics } from "@/tests/helpers/db";
import { putFxRates } from "./admin";
import { fxPending } from "./pending";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };

/** Σ tokens × price per million, in the price's currency, half-even to 10 decimals (as lib/pricing/cost.ts). */
const listed = (input: number, output: number, price: { input: string; output: string }) =>
  new Decimal(input).times(price.input).plus(new Decimal(output).times(price.output)).div(1e6).toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN);
const toUsd = (eur: Decimal, eurUsd: string) => eur.times(eurUsd).toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN).toFixed(10);

type Row = { key: string; cost: string; computed: string | null; reported: string | null; original: string | null; currency: string | null; rate: string | null; date: string | null; pending: boolean; unpriced: boolean };

async function stored(): Promise<Map<string, Row>> {
  const { rows } = await pool.query<Row>(`
    SELECT event_key AS key, cost::text, computed_cost::text AS computed, reported_cost::text AS reported, original_cost::text AS original,
      trim(original_currency) AS currency, trim_scale(fx_rate)::text AS rate, to_char(fx_rate_date, 'YYYY-MM-DD') AS date, fx_pending AS pending, unpriced
    FROM usage_events`);
  return new Map(rows.map((r) => [r.key, r]));
}

async function run(id: number | null) {
  if (id !== null) while ((await processRecomputeRun(id)) === "more");
}

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  forgetOrgSettings();
  await db.user.create({ data: { id: 1, email: "admin@test", name: "Admin", role: "admin" } });
});

afterAll(async () => {
  await db.$disconnect();
});

describe("model prices in another currency", () => {
  it("are converted like reported costs: stored amount, currency and rate; pending without a rate; re-converted on a price change", async () => {
    const price = await db.modelPrice.create({
      data: { provider: "mistral", model: "mistral-large-eu", currency: "EUR", inputPerMTok: "1.8", outputPerMTok: "5.4", effectiveFrom: new Date("2026-01-01T00:00:00Z") },
    });
    await putFxRates(admin, { rates: [{ base: "EUR", quote: "USD", date: "2026-11-02", rate: "1.0831", source: "manual" }] });
    const event = (id: string, timestamp: string, input: number, output: number) => ({ id, timestamp, agent: "bot", type: "llm.call", model: "mistral-large-eu", tokens: { input, output } });
    await ingest("mp", [
      event("with-rate", "2026-11-03T10:00:00Z", 123_457, 9_871),
      event("no-rate", "2026-10-20T10:00:00Z", 5_000, 333), // no EUR→USD rate within 7 days before Oct 20
    ]);

    const eur1 = listed(123_457, 9_871, { input: "1.8", output: "5.4" });
    let rows = await stored();
    expect(rows.get("with-rate")).toEqual({
      key: "with-rate", cost: toUsd(eur1, "1.0831"), computed: toUsd(eur1, "1.0831"), reported: null, original: eur1.toFixed(10),
      currency: "EUR", rate: "1.0831", date: "2026-11-02", pending: false, unpriced: false,
    });
    const eur2 = listed(5_000, 333, { input: "1.8", output: "5.4" });
    expect(rows.get("no-rate")).toMatchObject({ cost: "0.0000000000", computed: "0.0000000000", original: eur2.toFixed(10), currency: "EUR", rate: null, pending: true, unpriced: false });
    expect((await fxPending(admin)).items).toEqual([expect.objectContaining({ currency: "EUR", day: "2026-10-20", events: 1 })]);

    // The rate arrives: the conversion run converts the pending event's computed cost (reported_cost stays empty).
    const arrived = await putFxRates(admin, { rates: [{ base: "EUR", quote: "USD", date: "2026-10-19", rate: "1.0712", source: "manual" }] });
    await run(arrived.conversionRunId);
    rows = await stored();
    expect(rows.get("no-rate")).toMatchObject({ cost: toUsd(eur2, "1.0712"), computed: toUsd(eur2, "1.0712"), reported: null, rate: "1.0712", date: "2026-10-19", pending: false });

    // The EUR price changes: a re-price run re-computes in EUR and converts again at the same day's rate.
    await db.modelPrice.update({ where: { id: price.id }, data: { inputPerMTok: "2.1" } });
    const { id } = await createRecomputeRun(admin, { kind: "reprice", from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z"), predicate: {}, reason: "EUR price change", batchSize: 10 });
    await run(id);
    const eur3 = listed(123_457, 9_871, { input: "2.1", output: "5.4" });
    rows = await stored();
    expect(rows.get("with-rate")).toMatchObject({ cost: toUsd(eur3, "1.0831"), computed: toUsd(eur3, "1.0831"), original: eur3.toFixed(10), currency: "EUR", rate: "1.0831", pending: false });

    const totals = await totalsInOneSnapshot();
    expect(totals.hourly).toEqual(totals.raw);
    expect(totals.daily).toEqual(totals.raw);
  });
});
