// Migrating a populated database in place: a database on the schema as it was before the partitioning migration
// (every migration before 20261202090000_usage_event_partitions) is loaded with 1M events (MIGRATION_EVENTS) by
// generate_series, its rollups built, then the remaining migrations are applied by the release's runner. Every
// event (row for row), every idempotency key and every rollup row must be unchanged, each event in its UTC
// month's partition, and a full rollup rebuild must still agree. Prints the migration time per million events.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, test } from "vitest";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { databaseName, root, withDatabase } from "@/scripts/lib/common";
import { migrate } from "@/scripts/lib/migrate";
import { dropTestDatabase } from "@/tests/helpers/db";

const PARTITIONING = "20261202090000_usage_event_partitions";
const EVENTS = Number(process.env.MIGRATION_EVENTS ?? 1_000_000);
const migrationsDir = path.join(root, "prisma/migrations");
const url = withDatabase(process.env.DATABASE_URL!, `${databaseName(process.env.DATABASE_URL!)}_premig`.slice(0, 63));
const pool = new pg.Pool({ connectionString: url, max: 2 });

afterAll(async () => {
  await pool.end();
  await dropTestDatabase(url);
});

/** A copy of prisma/migrations holding only the migrations before the partitioning one. */
function migrationsBefore(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentledger-premig-"));
  for (const m of fs.readdirSync(migrationsDir)) {
    if (m < name && fs.existsSync(path.join(migrationsDir, m, "migration.sql"))) fs.cpSync(path.join(migrationsDir, m), path.join(dir, m), { recursive: true });
  }
  return dir;
}

/** Row-for-row digests (per UTC month, so no aggregate string grows past a few tens of MB) and exact sums. */
async function snapshot() {
  const q = async (sql: string) => (await pool.query(sql)).rows;
  return {
    totals: await q(`SELECT count(*)::text AS events, sum(cost)::text AS cost, sum(quantity)::text AS quantity, sum(reported_cost)::text AS reported,
                            sum(computed_cost)::text AS computed, sum(input_tokens)::text AS input, sum(output_tokens)::text AS output,
                            count(*) FILTER (WHERE late)::text AS late, max(id)::text AS max_id FROM usage_events`),
    events: await q(`SELECT date_trunc('month', e.timestamp, 'UTC')::text AS month, count(*)::int AS n, md5(string_agg(e::text, E'\\n' ORDER BY e.id)) AS digest
                     FROM usage_events e GROUP BY 1 ORDER BY 1`),
    keys: await q(`SELECT date_trunc('month', timestamp, 'UTC')::text AS month,
                          md5(string_agg(source || '|' || event_key || '|' || id || '|' || timestamp, E'\\n' ORDER BY source, event_key)) AS digest
                   FROM usage_events GROUP BY 1 ORDER BY 1`),
    hourly: await q(`SELECT md5(string_agg(r::text, E'\\n' ORDER BY r::text)) AS digest, sum(events)::text AS events, sum(cost)::text AS cost FROM usage_rollup_hourly r`),
    daily: await q(`SELECT md5(string_agg(r::text, E'\\n' ORDER BY r::text)) AS digest, sum(events)::text AS events, sum(cost)::text AS cost FROM usage_rollup_daily r`),
    core: await q(`SELECT md5(string_agg(r::text, E'\\n' ORDER BY r::text)) AS digest, sum(events)::text AS events, sum(cost)::text AS cost FROM usage_rollup_daily_core r`),
  };
}

test(`migrating ${EVENTS.toLocaleString("en-US")} stored events to monthly partitions keeps every event, key and rollup`, async () => {
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(databaseName(url))} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(databaseName(url))}`);
  await admin.end();

  const client = await pool.connect();
  try {
    const before = migrationsBefore(PARTITIONING);
    await migrate(client, before, () => {});
    fs.rmSync(before, { recursive: true, force: true });
    const unpartitioned = await client.query("SELECT relkind FROM pg_class WHERE relname = 'usage_events'");
    expect(unpartitioned.rows[0].relkind).toBe("r");

    // ~14 months of events from 30 agents, two sources, 20 customers (some none), priced and reported costs.
    const loadStarted = performance.now();
    await client.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Migration', 'USD', 'Europe/Berlin', now())");
    await client.query("INSERT INTO agents (key, name, updated_at) SELECT 'agent-' || g, 'agent-' || g, now() FROM generate_series(0, 29) g");
    await client.query("INSERT INTO customers (key, name, updated_at) SELECT 'cust-' || g, 'cust-' || g, now() FROM generate_series(0, 19) g");
    await client.query(
      `INSERT INTO usage_events (source, event_key, timestamp, received_at, type, agent_id, customer_id, quantity, reported_cost, computed_cost,
         cost, model, input_tokens, output_tokens, task_type, properties, late)
       SELECT CASE WHEN g % 3 = 0 THEN 'import' ELSE 'api' END, 'e-' || g,
         timestamptz '2025-09-30 22:00:00+00' + g * interval '37 seconds', timestamptz '2026-11-30 00:00:00+00',
         CASE WHEN g % 4 = 0 THEN 'agent.action' ELSE 'llm.call' END, a.id, c.id, 1 + g % 5,
         CASE WHEN g % 2 = 0 THEN (g % 1000) / 100000.0 END, CASE WHEN g % 2 = 1 THEN (g % 997) / 300000.0 END,
         CASE WHEN g % 2 = 0 THEN (g % 1000) / 100000.0 ELSE (g % 997) / 300000.0 END,
         CASE WHEN g % 4 <> 0 THEN 'model-' || g % 3 END, g % 4000, g % 900, CASE WHEN g % 10 = 0 THEN 'triage' END,
         jsonb_build_object('region', (ARRAY['eu', 'us', 'apac'])[1 + g % 3]), g % 1000 = 7
       FROM generate_series(1, $1::int) g
       JOIN agents a ON a.key = 'agent-' || g % 30
       LEFT JOIN customers c ON c.key = 'cust-' || g % 25`,
      [EVENTS],
    );
    // An event years before the rest and one exactly on a month boundary: partitions need not be contiguous.
    await client.query(
      `INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, cost)
       SELECT 'api', k, ts, 'agent.action', (SELECT min(id) FROM agents), 1.5
       FROM (VALUES ('old', timestamptz '2019-02-28 23:59:59.999+00'), ('edge', timestamptz '2026-01-01 00:00:00+00')) v(k, ts)`,
    );
    await client.query("ANALYZE usage_events");
    await rebuildRollups(pool);
    console.log(`loaded ${(EVENTS + 2).toLocaleString("en-US")} events and built rollups in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
    const old = await snapshot();
    expect(old.totals[0].events).toBe(String(EVENTS + 2));

    const started = performance.now();
    const applied = await migrate(client, migrationsDir, () => {});
    const seconds = (performance.now() - started) / 1000;
    expect(applied).toContain(PARTITIONING);
    console.log(`migrated ${(EVENTS + 2).toLocaleString("en-US")} events in ${seconds.toFixed(1)} s (${(seconds / ((EVENTS + 2) / 1e6)).toFixed(1)} s per million)`);

    const partitioned = await client.query("SELECT relkind FROM pg_class WHERE relname = 'usage_events'");
    expect(partitioned.rows[0].relkind).toBe("p");
    expect(await snapshot()).toEqual(old);
    const placed = await client.query<{ misplaced: number; in_default: number; partitions: number; months: number }>(
      `SELECT count(*) FILTER (WHERE tableoid::regclass::text <> 'usage_events_' || to_char(timestamp AT TIME ZONE 'UTC', 'YYYYMM'))::int AS misplaced,
              count(*) FILTER (WHERE tableoid::regclass::text = 'usage_events_default')::int AS in_default,
              count(DISTINCT tableoid)::int AS partitions, count(DISTINCT date_trunc('month', timestamp, 'UTC'))::int AS months
       FROM usage_events`,
    );
    expect(placed.rows[0]).toEqual({ misplaced: 0, in_default: 0, partitions: old.events.length, months: old.events.length });
    const keys = await client.query<{ keys: string; matched: string }>(
      `SELECT (SELECT count(*) FROM usage_event_keys)::text AS keys,
              (SELECT count(*) FROM usage_event_keys k JOIN usage_events e
                 ON e.id = k.event_id AND e.timestamp = k.timestamp AND e.source = k.source AND e.event_key = k.event_key)::text AS matched`,
    );
    expect(keys.rows[0]).toEqual({ keys: String(EVENTS + 2), matched: String(EVENTS + 2) });
    // Idempotency holds for the migrated keys, whatever timestamp a re-sent event carries.
    const resent = await client.query("INSERT INTO usage_event_keys (source, event_key, timestamp) VALUES ('api', 'e-1', now()), ('api', 'old', now()) ON CONFLICT DO NOTHING");
    expect(resent.rowCount).toBe(0);
    // New events continue the id sequence after the migrated ones.
    const next = await client.query<{ id: string }>("SELECT nextval('usage_events_id_seq')::text AS id");
    expect(BigInt(next.rows[0]!.id)).toBeGreaterThan(BigInt(old.totals[0].max_id));

    await rebuildRollups(pool);
    expect(await snapshot()).toEqual(old);
  } finally {
    client.release();
  }
});
