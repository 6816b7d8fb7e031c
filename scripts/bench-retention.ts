// npm run bench:retention [-- --events 1000000 --month 2025-01 --mode archive --restore]
// Times a raw event retention run (lib/retention/run.ts) on the scratch database in DATABASE_URL (its name must
// contain "bench" or "test"; created and migrated if needed): loads N events (and their idempotency keys) into one
// old UTC month by generate_series, sets retention to 3 months, then runs retention: COPY -> gzip -> file, read-back
// verification, detach + drop. Prints rows/s, archive bytes per million events, the disk the partition took, and
// peak RSS; --restore also times `retention:restore` of the archive. Deletes its archive directory at the end.
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { databaseName } from "./lib/common";
import { migrateDeploy } from "./lib/database";
import { ensureDatabase } from "./lib/embedded-pg";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    month: { type: "string", default: "2025-01" },
    mode: { type: "string", default: "archive" },
    restore: { type: "boolean", default: false },
  },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl || !/bench|test/.test(databaseName(databaseUrl))) throw new Error("DATABASE_URL must name a scratch database (its name containing bench or test)");
process.env.NEXTAUTH_SECRET ??= "bench-retention-secret-0123456789abcdefghij";
process.env.LOG_LEVEL ??= "warn";
const EVENTS = Number(args.events);
const MONTH = args.month;
if (!/^\d{4}-\d{2}$/.test(MONTH)) throw new Error("--month must be YYYY-MM");
if (args.mode !== "archive" && args.mode !== "drop") throw new Error("--mode must be archive or drop");

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const n = (value: number) => Math.round(value).toLocaleString("en-US");

async function seed(client: pg.Client) {
  const from = new Date(`${MONTH}-01T00:00:00Z`);
  const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1));
  await client.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Bench', 'USD', 'UTC', now()) ON CONFLICT (id) DO NOTHING");
  await client.query("UPDATE organizations SET raw_event_retention_months = 3, raw_event_retention_mode = $1 WHERE id = 1", [args.mode]);
  await client.query("INSERT INTO agents (key, name, updated_at) SELECT 'agent-' || g, 'agent-' || g, now() FROM generate_series(0, 29) g ON CONFLICT DO NOTHING");
  await client.query("INSERT INTO customers (key, name, updated_at) SELECT 'customer-' || g, 'customer-' || g, now() FROM generate_series(0, 19) g ON CONFLICT DO NOTHING");
  await client.query("SELECT usage_events_add_partition($1::timestamptz)", [from]);
  const existing = Number((await client.query<{ n: string }>("SELECT count(*)::text AS n FROM usage_events WHERE timestamp >= $1 AND timestamp < $2", [from, to])).rows[0]!.n);
  const step = (to.getTime() - from.getTime()) / EVENTS;
  const started = performance.now();
  // Resumable: a month already holding N events (a restore, a previous seed) is not loaded again.
  for (let lo = existing + 1; lo <= EVENTS; lo += 1_000_000) {
    const hi = Math.min(EVENTS, lo + 999_999);
    await client.query(
      `WITH e AS (
         INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, customer_id, quantity, reported_cost, cost, model,
           input_tokens, output_tokens, cache_read_tokens, properties)
         SELECT 'bench-retention', $5 || g, to_timestamp(($3::float8 + (g - 1) * $4::float8) / 1000),
           CASE WHEN g % 5 < 3 THEN 'llm.call' ELSE 'agent.action' END, a.id, c.id, 1 + g % 3,
           CASE WHEN g % 2 = 0 THEN (g % 5000) / 100000.0 END, (g % 5000) / 100000.0, CASE WHEN g % 5 < 3 THEN 'model-' || g % 4 END,
           200 + g % 4000, 50 + g % 1000, g % 2000, jsonb_build_object('region', (ARRAY['eu', 'us', 'apac'])[1 + g % 3], 'attempt', 1 + g % 3)
         FROM generate_series($1::bigint, $2::bigint) g
         JOIN agents a ON a.key = 'agent-' || g % 30
         LEFT JOIN customers c ON c.key = 'customer-' || g % 40
         RETURNING source, event_key, id, timestamp)
       INSERT INTO usage_event_keys (source, event_key, event_id, timestamp) SELECT * FROM e ON CONFLICT DO NOTHING`,
      [lo, hi, from.getTime(), step, `${MONTH}-`],
    );
    console.log(`seed: ${n(hi)} events in ${MONTH} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await client.query("ANALYZE usage_events");
}

async function main() {
  await ensureDatabase(databaseUrl!);
  await migrateDeploy(databaseUrl!);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await seed(client);
  } finally {
    await client.end();
  }
  const { runRetention } = await import("../lib/retention/run");
  const { retentionPlan } = await import("../lib/retention/plan");
  const { restoreArchive } = await import("../lib/retention/restore");
  const dir = await mkdtemp(path.join(process.env.DATA_DIR ?? ".data", "bench-retention-"));
  try {
    const planClient = new pg.Client({ connectionString: databaseUrl });
    await planClient.connect();
    const plan = await retentionPlan(planClient);
    await planClient.end();
    const month = plan.months.find((m) => m.month === MONTH);
    if (!month) throw new Error(`${MONTH} is not past the retention cutoff (${plan.cutoff?.toISOString()})`);
    console.log(`plan: ${plan.months.length} month(s) due; ${MONTH}: ~${n(month.rows)} rows, partition + indexes ${mb(month.bytes)}; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    const started = performance.now();
    const result = await runRetention({ actor: "bench:retention", ownerUrl: databaseUrl, archiveDir: dir });
    const seconds = (performance.now() - started) / 1000;
    const done = result.months.find((m) => m.month === MONTH)!;
    console.log(`retention (${args.mode}): ${n(done.rows)} rows in ${seconds.toFixed(2)} s = ${n(done.rows / seconds)} rows/s`);
    if (done.file) console.log(`archive: ${mb(done.bytes)} (${mb((done.bytes / done.rows) * 1_000_000)} per million events; the partition took ${mb((month.bytes / done.rows) * 1_000_000)} per million)`);
    console.log(`peak RSS ${n(process.resourceUsage().maxRSS / 1024)} MB`);
    if (args.restore && done.file) {
      const t = performance.now();
      const restored = await restoreArchive(done.file, { ownerUrl: databaseUrl, actor: "bench:retention" });
      const s = (performance.now() - t) / 1000;
      console.log(`restore: ${n(restored.restored)} rows in ${s.toFixed(2)} s = ${n(restored.restored / s)} rows/s; peak RSS ${n(process.resourceUsage().maxRSS / 1024)} MB`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
