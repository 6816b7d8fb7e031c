// The scheduled FX sweep (job `fx.sweep`): converts events still awaiting a rate whose day has one by now. It closes
// the race in lib/currency/README.md: an event whose batch read the rates just before a rate write committed, and
// committed after that write's conversion run had passed its day, would otherwise wait for the next rate write.
import "server-only";
import { db } from "@/lib/db";
import { insertRecomputeRun } from "@/lib/recompute/runs";
import { orgSettings } from "@/lib/org";
import { ratesAround } from "./display";
import { MAX_AGE_DAYS, selectRate } from "./select";

const DAY_MS = 86_400_000;

export type FxSweep = {
  /** The fx run created for pending days that now have a rate, or null (none, or a run was still unfinished). */
  created: number | null;
  /** Pending (currency, local day) pairs that can now be converted. */
  convertible: { currency: string; day: string }[];
  /** Every fx run not finished yet, the new one included: the job (re)queues each (a lost enqueue is recovered). */
  unfinished: number[];
};

/**
 * One advisory-locked transaction: with an fx run still unfinished, nothing new (that run, or the next sweep, converts
 * them); otherwise one run over the pending days that now have a rate. Idempotent: a repeat finds the run unfinished,
 * or nothing pending.
 */
export async function sweepFxPending(): Promise<FxSweep> {
  const org = await orgSettings();
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('fx.sweep'))`;
    const open = await tx.recomputeRun.findMany({ where: { kind: "fx", status: { notIn: ["done", "failed"] } }, select: { id: true }, orderBy: { id: "asc" } });
    const pending = await tx.$queryRaw<{ currency: string; day: string }[]>`
      SELECT DISTINCT trim(original_currency) AS "currency", to_char((timestamp AT TIME ZONE ${org.timeZone})::date, 'YYYY-MM-DD') AS "day"
      FROM usage_events WHERE fx_pending ORDER BY 2, 1`;
    if (pending.length === 0) return { created: null, convertible: [], unfinished: open.map((r) => r.id) };
    const rates = await ratesAround([org.currency, ...pending.map((p) => p.currency)], pending[0]!.day, pending.at(-1)!.day, tx);
    const convertible = pending.filter((p) => selectRate(p.currency, org.currency, p.day, rates) !== null);
    if (convertible.length === 0 || open.length > 0) return { created: null, convertible, unfinished: open.map((r) => r.id) };
    // A local day lies within a day of the same UTC date either way (as the rate writes' runs).
    const first = convertible[0]!.day;
    const last = convertible.at(-1)!.day;
    const from = new Date(Date.parse(`${first}T00:00:00Z`) - DAY_MS);
    const to = new Date(Date.parse(`${last}T00:00:00Z`) + 2 * DAY_MS);
    const reason = `FX sweep: ${convertible.length} pending currency-days now have a rate (${first} to ${last}; rates up to ${MAX_AGE_DAYS} days old)`;
    const run = await insertRecomputeRun(tx, null, { kind: "fx", from, to, predicate: {}, reason });
    return { created: run.id, convertible, unfinished: [run.id] };
  });
}
