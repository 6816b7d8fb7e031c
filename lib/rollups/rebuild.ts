// Full rebuild of the rollups from raw events: after bulk loads (seed) and when the time zone or dimensions change.
import type { Pool, PoolClient } from "pg";
import { BUDGET_CHANNEL, BUDGET_SPEND_REBUILD } from "../budgets/spend-sql";
import { CORE_KEY_COLUMNS, CUSTOMER_KEY_COLUMNS, ROLLUP_KEY_COLUMNS, ROLLUP_METRIC_AGGREGATES, ROLLUP_METRIC_COLUMNS, ROLLUP_METRIC_SUMS, rollupKeyExpressions } from "./sql";

export async function rebuildRollups(pool: Pool): Promise<void> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query("BEGIN");
    // Blocks concurrent ingestion for the rebuild so no event is counted twice or missed.
    await client.query("LOCK TABLE usage_events IN SHARE MODE");
    // Lets the GROUP BY hash-aggregate in memory instead of sorting on disk.
    await client.query("SET LOCAL work_mem = '256MB'");
    // A rebuild reads every raw event: maintenance, exempt from the request statement timeout (lib/db.ts).
    await client.query("SET LOCAL statement_timeout = 0");
    // Months dropped by raw event retention (lib/retention) live on only in the rollups: a rebuild would lose them.
    const removed = await client.query("SELECT 1 FROM retention_runs WHERE status IN ('running', 'done') LIMIT 1");
    if (removed.rowCount) throw new Error("rollup rebuild refused: raw event retention removed months whose events only the rollups still hold (restore them first, docs/retention.md)");
    const org = await client.query<{ time_zone: string; dimensions: string[] }>(
      "SELECT time_zone, dimensions FROM organizations WHERE id = 1",
    );
    const tz = org.rows[0]?.time_zone ?? "UTC";
    const dims = org.rows[0]?.dimensions ?? [];
    const k = rollupKeyExpressions("$1", "$2");
    // The tail (lib/rollups/fold.ts) holds events the rebuild reads again: emptied with the folded tables.
    // Rows are written in bucket order, so a dashboard's range of hours or days sits in few pages (as it does when
    // ingestion appends them); hash-aggregated output would scatter a week of hours over the whole table.
    await client.query("TRUNCATE usage_rollup_tail, usage_rollup_hourly_folded, usage_rollup_daily_folded, usage_rollup_daily_core_folded, usage_rollup_hourly_core_folded, usage_rollup_daily_customer_folded, budget_spend_daily");
    await client.query(BUDGET_SPEND_REBUILD, [tz]);
    await client.query(`SELECT pg_notify('${BUDGET_CHANNEL}', 'spend')`);
    for (const [table, bucketColumn, bucketExpr] of [
      ["usage_rollup_hourly_folded", "bucket", k.hour],
      ["usage_rollup_daily_folded", "day", k.day],
    ] as const) {
      await client.query(
        `INSERT INTO ${table} (${bucketColumn}, ${ROLLUP_KEY_COLUMNS}, ${ROLLUP_METRIC_COLUMNS})
         SELECT ${bucketExpr}, ${k.rest}, ${ROLLUP_METRIC_AGGREGATES}
         FROM usage_events e
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
         ORDER BY 1`,
        [tz, dims],
      );
    }
    // The narrower rollups are the full ones summed over the keys they drop.
    for (const [table, from, bucketColumn, keyColumns] of [
      ["usage_rollup_daily_core_folded", "usage_rollup_daily_folded", "day", CORE_KEY_COLUMNS],
      ["usage_rollup_hourly_core_folded", "usage_rollup_hourly_folded", "bucket", CORE_KEY_COLUMNS],
      ["usage_rollup_daily_customer_folded", "usage_rollup_daily_folded", "day", CUSTOMER_KEY_COLUMNS],
    ] as const) {
      await client.query(
        `INSERT INTO ${table} (${bucketColumn}, ${keyColumns}, ${ROLLUP_METRIC_COLUMNS})
         SELECT ${bucketColumn}, ${keyColumns}, ${ROLLUP_METRIC_SUMS} FROM ${from} e GROUP BY ${bucketColumn}, ${keyColumns}
         ORDER BY 1`,
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}
