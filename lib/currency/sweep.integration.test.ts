// The FX sweep: an event left pending by the ingest/rate-write race (a rate stored with no conversion run after it) is
// converted by the sweep's run; a repeat while that run is unfinished, and a day still without a rate, start nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { forgetOrgSettings } from "@/lib/org";
import { processRecomputeRun } from "@/lib/recompute/runs";
import { ingest } from "@/lib/recompute/test-utils";
import { seedBasics } from "@/tests/helpers/db";
import { sweepFxPending } from "./sweep";

const event = (id: string, timestamp: string, amount: string, currency: string) => ({ id, timestamp, agent: "bot", type: "llm.call", cost: { amount, currency } });

async function stored(key: string) {
  const { rows } = await pool.query<{ cost: string; pending: boolean; date: string | null }>(
    `SELECT cost::text, fx_pending AS pending, to_char(fx_rate_date, 'YYYY-MM-DD') AS date FROM usage_events WHERE event_key = $1`,
    [key],
  );
  return rows[0]!;
}

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: "Asia/Tokyo" } });
  forgetOrgSettings();
  // Both events arrive with no rate: pending at cost 0.
  await ingest("sweep-test", [event("chf-1", "2026-11-10T03:00:00Z", "8", "CHF"), event("sek-1", "2026-11-10T03:00:00Z", "100", "SEK")]);
});

afterAll(async () => {
  await db.$disconnect();
});

describe("fx.sweep", () => {
  it("does nothing while no pending day has a rate", async () => {
    expect(await stored("chf-1")).toMatchObject({ pending: true, cost: "0.0000000000" });
    expect(await sweepFxPending()).toEqual({ created: null, convertible: [], unfinished: [] });
    expect(await db.recomputeRun.count()).toBe(0);
  });

  it("converts a pending event once its day has a rate, in one run, once", async () => {
    // Written straight to the table, as if the writer's conversion run had already passed the day (the race).
    await pool.query(`INSERT INTO fx_rates (base, quote, date, rate, source, created_by) VALUES ('EUR', 'USD', '2026-11-06', 1.05, 'ecb', 't'), ('EUR', 'CHF', '2026-11-09', 0.875, 'ecb', 't')`);
    const first = await sweepFxPending();
    expect(first.convertible).toEqual([{ currency: "CHF", day: "2026-11-10" }]);
    expect(first.created).not.toBeNull();
    expect(first.unfinished).toEqual([first.created]);
    const run = await db.recomputeRun.findUniqueOrThrow({ where: { id: first.created! } });
    expect(run).toMatchObject({ kind: "fx", actor: "system", actorId: null });
    expect(await db.auditLog.count({ where: { action: "recompute.start", entityId: String(first.created) } })).toBe(1);

    // A second sweep before the run finished: no new run, the same one to (re)queue.
    expect(await sweepFxPending()).toMatchObject({ created: null, unfinished: [first.created] });

    while ((await processRecomputeRun(first.created!)) === "more");
    // 8 CHF × 1.05 / 0.875 = 9.6 USD; SEK still has no rate.
    expect(await stored("chf-1")).toEqual({ cost: "9.6000000000", pending: false, date: "2026-11-06" });
    expect(await stored("sek-1")).toMatchObject({ pending: true, cost: "0.0000000000" });
    expect(await sweepFxPending()).toEqual({ created: null, convertible: [], unfinished: [] });
    expect(await db.recomputeRun.count()).toBe(1);
  });
});
