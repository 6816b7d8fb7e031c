// Monthly partitions of usage_events (migration 20261202090000_usage_event_partitions): creates the partitions of
// the coming months ahead of their events and gives events parked in the default partition (historic imports,
// far-future timestamps) a partition of their own. DDL, so it runs as the tables' owner (DATABASE_OWNER_URL),
// never as the app role. Run at migrate/start-up and daily as a job; idempotent, safe to run concurrently.
import pg from "pg";
import { env } from "@/lib/env";

/** Months after the current UTC month that get a partition ahead of time. */
export const PARTITION_MONTHS_AHEAD = 3;

/**
 * Runs ensure_usage_partitions() on an open owner connection; returns how many partitions it created.
 * One transaction: a run that cannot get its locks within lockTimeoutMs fails and changes nothing (the next run
 * retries), instead of queueing ingestion behind its lock request.
 */
export async function ensureUsagePartitionsWith(client: pg.ClientBase, monthsAhead = PARTITION_MONTHS_AHEAD, lockTimeoutMs = 10_000): Promise<number> {
  await client.query("BEGIN");
  try {
    // Two runs at once (two instances starting) would both try to create the same partition.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('ensure_usage_partitions'))");
    await client.query(`SET LOCAL lock_timeout = ${Math.max(0, Math.floor(lockTimeoutMs))}`);
    await client.query("SET LOCAL statement_timeout = 0");
    const result = await client.query<{ created: number }>("SELECT ensure_usage_partitions($1) AS created", [monthsAhead]);
    await client.query("COMMIT");
    return result.rows[0]!.created;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/**
 * Connects as the owner (DATABASE_OWNER_URL, else DATABASE_URL when it is the owner, as in a single-URL setup)
 * and ensures the partitions. For the job queue's daily job and start-up.
 */
export async function ensureUsagePartitions(options: { ownerUrl?: string; monthsAhead?: number } = {}): Promise<number> {
  const connectionString = options.ownerUrl ?? env().DATABASE_OWNER_URL ?? env().DATABASE_URL;
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await ensureUsagePartitionsWith(client, options.monthsAhead);
  } finally {
    await client.end();
  }
}
