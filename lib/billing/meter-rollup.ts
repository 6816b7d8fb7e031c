// The meter rollup's fold: recomputes the days marked in meter_rollup_marks from raw events into meter_rollup_daily.
// Triggers mark a local day whenever its events change (any writer), and every day when a meter is created or
// redefined or the time zone changes (migration 20261207100200_meter_rollup). Rating reads marked days raw
// (usage.ts), so it is exact whether or not the fold has run; the fold only makes reads short.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { inSpans, isCostMeter, joinSpans, rolledUp, scanColumns, scanNarrowing, type MeterDef } from "./usage";

/**
 * Folds up to `maxDays` marked days in one transaction: takes their marks (a DELETE returning them: marks inserted
 * after its snapshot stay for the next fold), deletes those days' rollup rows and writes them again from the events,
 * which a later snapshot sees in full. One fold at a time (a transaction-scoped advisory lock): a second worker
 * returns at once. `more` is true while marks remain.
 */
export async function foldMeterRollup(maxDays = 31): Promise<{ days: number; more: boolean }> {
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('meter.fold')) AS locked`;
      if (!lock?.locked) return { days: 0, more: false };
      // A fold after a meter change reads every event: maintenance, not a request.
      await tx.$executeRaw`SET LOCAL statement_timeout = 0`;
      await tx.$executeRaw`SET LOCAL jit = off`;
      const taken = await tx.$queryRaw<{ day: string }[]>`
        WITH taken AS (
          DELETE FROM meter_rollup_marks WHERE day IN (SELECT DISTINCT day FROM meter_rollup_marks ORDER BY day LIMIT ${maxDays}) RETURNING day)
        SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM taken ORDER BY 1`;
      const days = taken.map((r) => r.day);
      if (days.length > 0) await refold(tx, days);
      const [rest] = await tx.$queryRaw<{ more: boolean }[]>`SELECT EXISTS (SELECT 1 FROM meter_rollup_marks) AS more`;
      return { days: days.length, more: rest?.more ?? false };
    },
    { timeout: 30 * 60_000 },
  );
}

async function refold(tx: Prisma.TransactionClient, days: string[]) {
  await tx.$executeRaw`DELETE FROM meter_rollup_daily WHERE day = ANY(${days}::date[])`;
  const meters: MeterDef[] = (await tx.meter.findMany({ orderBy: { id: "asc" } })).filter(rolledUp);
  if (meters.length === 0) return;
  const [org] = await tx.$queryRaw<{ tz: string }[]>`SELECT coalesce((SELECT time_zone FROM organizations WHERE id = 1), 'UTC') AS tz`;
  const tz = org!.tz;
  const bounds = await tx.$queryRaw<{ start: Date; end: Date }[]>`
    SELECT (d::timestamp AT TIME ZONE ${tz}) AS start, ((d + 1)::timestamp AT TIME ZONE ${tz}) AS "end"
    FROM unnest(${days}::date[]) d ORDER BY d`;
  const column = (name: string, i: number, type: string) => Prisma.raw(`s."${name}${i}"::${type}`);
  const values = meters.map(
    (m, i) => Prisma.sql`(${m.id}::int, ${column("m", i, "numeric")}, ${isCostMeter(m) ? column("a", i, "numeric") : Prisma.sql`NULL::numeric`},
      ${m.source === "tasks" ? column("t", i, "bigint") : Prisma.sql`NULL::bigint`}, ${m.source === "tasks" ? column("x", i, "bigint") : Prisma.sql`NULL::bigint`})`,
  );
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO meter_rollup_daily (day, meter_id, customer_id, currency, value, amount, agent_tasks, escalated)
    SELECT s.day, v.meter_id, s.customer_id, s.currency, v.value, v.amount, v.agent_tasks, v.escalated
    FROM (
      SELECT customer_id, (timestamp AT TIME ZONE ${tz})::date AS day, coalesce(trim(original_currency), '') AS currency,
        ${Prisma.join(scanColumns(meters, true))}
      FROM usage_events
      WHERE ${inSpans(joinSpans(bounds))} AND customer_id IS NOT NULL ${scanNarrowing(meters)}
      GROUP BY 1, 2, 3
    ) s
    CROSS JOIN LATERAL (VALUES ${Prisma.join(values)}) AS v(meter_id, value, amount, agent_tasks, escalated)
    WHERE v.value IS NOT NULL OR v.agent_tasks IS NOT NULL
    ORDER BY 1, 2, 3`);
}

/** The meter.fold job: folds until no mark is left, for up to a minute (the next run takes the rest). */
export async function foldMarkedDays(): Promise<number> {
  const until = Date.now() + 60_000;
  let days = 0;
  for (;;) {
    const fold = await foldMeterRollup();
    days += fold.days;
    if (!fold.more || fold.days === 0 || Date.now() > until) return days;
  }
}
