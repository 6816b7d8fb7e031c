// The rollup fold: moves rows of usage_rollup_tail (appended by every write path) into the five *_folded rollup
// tables. Readers use the views of the old names (folded + tail), so totals equal the raw events before, during and
// after a fold: one transaction deletes the tail rows it read and adds them to the folded tables. The fold only keeps
// the tail short, so reads stay fast (migration 20261208100000_rollup_tail).
import "server-only";
import type { Pool, PoolClient } from "pg";
import { db, pool } from "@/lib/db";
import { FOLD_SCHEDULE, foldWaits } from "./fold-schedule";
import { CORE_KEY_COLUMNS, CUSTOMER_KEY_COLUMNS, ROLLUP_KEY_COLUMNS, ROLLUP_MERGE, ROLLUP_METRIC_COLUMNS, ROLLUP_METRIC_SUMS } from "./sql";

/** Tail rows per fold: one transaction stays short, and the next fold starts at once while rows remain. */
const FOLD_LIMIT = 50_000;

const positions = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(", ");

/**
 * Upserts the sums of `h` (the taken rows summed per hour and full key) into one folded table, in key order. The
 * hourly table has h's own key: its rows go in as they are.
 */
function foldInto(table: string, bucketColumn: string, bucketExpr: string, keyColumns: string) {
  const width = keyColumns.split(",").length + 1;
  const rows =
    table === "usage_rollup_hourly_folded"
      ? `SELECT * FROM h ORDER BY ${positions(width)}`
      : `SELECT ${bucketExpr}, ${keyColumns}, ${ROLLUP_METRIC_SUMS} FROM h e CROSS JOIN org o GROUP BY ${positions(width)} ORDER BY ${positions(width)}`;
  return `
    INSERT INTO ${table} AS r (${bucketColumn}, ${keyColumns}, ${ROLLUP_METRIC_COLUMNS})
    ${rows}
    ON CONFLICT (${bucketColumn}, ${keyColumns}) ${ROLLUP_MERGE}`;
}

const DAY = "(e.bucket AT TIME ZONE o.time_zone)::date";

// One fold at a time (any instance): a second one returns at once. Rows of transactions still open are not visible
// to the DELETE and stay for the next fold.
const FOLD = `
WITH lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(hashtext('rollup.fold')) AS locked),
org AS (SELECT coalesce((SELECT time_zone FROM organizations WHERE id = 1), 'UTC') AS time_zone),
taken AS (
  DELETE FROM usage_rollup_tail
  WHERE id IN (SELECT id FROM usage_rollup_tail ORDER BY id LIMIT $1) AND (SELECT locked FROM lock)
  RETURNING *
),
h (bucket, ${ROLLUP_KEY_COLUMNS}, ${ROLLUP_METRIC_COLUMNS}) AS MATERIALIZED (
  SELECT bucket, ${ROLLUP_KEY_COLUMNS}, ${ROLLUP_METRIC_SUMS} FROM taken e GROUP BY ${positions(10)}
),
hourly AS (${foldInto("usage_rollup_hourly_folded", "bucket", "e.bucket", ROLLUP_KEY_COLUMNS)}),
daily AS (${foldInto("usage_rollup_daily_folded", "day", DAY, ROLLUP_KEY_COLUMNS)}),
daily_core AS (${foldInto("usage_rollup_daily_core_folded", "day", DAY, CORE_KEY_COLUMNS)}),
hourly_core AS (${foldInto("usage_rollup_hourly_core_folded", "bucket", "e.bucket", CORE_KEY_COLUMNS)}),
daily_customer AS (${foldInto("usage_rollup_daily_customer_folded", "day", DAY, CUSTOMER_KEY_COLUMNS)})
SELECT (SELECT locked FROM lock) AS locked, (SELECT count(*)::int FROM taken) AS rows`;

/**
 * Folds up to `limit` tail rows in one transaction. `locked` is false when another fold was running (nothing done);
 * `more` while rows may remain.
 */
export async function foldRollupTail(limit = FOLD_LIMIT, on: Pool | PoolClient = pool): Promise<{ locked: boolean; rows: number; more: boolean }> {
  const { rows } = await on.query<{ locked: boolean; rows: number }>({ name: "rollup_fold", text: FOLD, values: [limit] });
  const { locked, rows: folded } = rows[0]!;
  return { locked, rows: folded, more: locked && folded === limit };
}

/** Folds until a fold of its own finds the tail empty, waiting out any other fold (tests, scripts). */
export async function foldAll(): Promise<number> {
  let total = 0;
  for (;;) {
    const { locked, rows, more } = await foldRollupTail();
    total += rows;
    if (locked && !more) return total;
    if (!locked) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Tail rows not folded yet (the ops view and bench:ingest report it). */
export async function tailRows(): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM usage_rollup_tail`;
  return row!.n;
}

/**
 * How many rows the tail holds at most (the ids it spans: the fold deletes from the lowest id, so gaps only make this
 * larger), from the two ends of its primary key, and how many ids appends have drawn so far: cheap enough to ask
 * before every ingest request.
 */
export async function tailSpan(): Promise<{ rows: number; appended: bigint }> {
  const { rows } = await pool.query<{ min: string | null; max: string | null; appended: string }>(
    "SELECT min(id)::text AS min, max(id)::text AS max, (SELECT last_value FROM usage_rollup_tail_id_seq)::text AS appended FROM usage_rollup_tail",
  );
  const { min, max, appended } = rows[0]!;
  return { rows: min === null || max === null ? 0 : Number(BigInt(max) - BigInt(min) + 1n), appended: BigInt(appended) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The rollups.fold job: folds every `intervalMs` (at once while the last fold left rows), except during a burst (see
 * FOLD_SCHEDULE), for just under a minute; the next cron tick starts the next run, and while both overlap the advisory
 * lock keeps one folding. Returns early when `signal` aborts (the worker stops).
 */
export async function foldForAMinute(signal: AbortSignal, schedule = FOLD_SCHEDULE): Promise<number> {
  const until = Date.now() + 58_000;
  let total = 0;
  let last = { ...(await tailSpan()), at: performance.now() };
  while (Date.now() < until && !signal.aborted) {
    const span = { ...(await tailSpan()), at: performance.now() };
    const waits = foldWaits(last, span, schedule);
    last = span;
    if (waits) {
      await sleep(schedule.intervalMs);
      continue;
    }
    const { rows, more } = await foldRollupTail();
    total += rows;
    if (!more) await sleep(schedule.intervalMs);
  }
  return total;
}
