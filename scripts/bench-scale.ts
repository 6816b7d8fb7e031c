// npm run bench:scale [-- --events 100000000 --min 30000000 --customers 1000 --fresh]
// Issue 27's run at size, on one server (BENCH_SCALE_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/agentledger_bench_scale):
//   1. states the disk it needs up front (bytes per million events measured by earlier runs, else 0.55 GB) and, when the
//      server's disk cannot hold --events, picks the largest multiple of 10M that fits (never below --min);
//   2. seed + dashboards: bench:query with BENCH_EVENTS = that size and BENCH_CURRENCIES=1 (COPY, indexes, rollups, then
//      p50/p95 of every dashboard endpoint and the Usage page; 90-day and hour-granularity views are in its mix);
//   3. invoice generation for --customers customers: bench:billing --prepare on the same database;
//   4. ingestion at size: bench:ingest --stored <size> (its own scratch database, dropped at the end);
//   5. retention: bench:retention with one month's share of the events (size ÷ 12).
// Each step runs the existing bench script, which prints its own figures; this script adds wall times, disk per
// million events and the load average. Resumable by step: finished steps are recorded in .data/bench-scale.json and
// skipped on the next run with the same size (the seeded database is reused by bench:query's own stamp); --fresh
// forgets them. Needs roughly 2 × 0.55 GB per million events (the seeded database and bench:ingest's) plus WAL.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { baseEnv, databaseName, dataDir, runOrThrow, withDatabase } from "./lib/common";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "100000000" },
    min: { type: "string", default: "30000000" },
    customers: { type: "string", default: "1000" },
    fresh: { type: "boolean", default: false },
  },
});
const url = process.env.BENCH_SCALE_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/agentledger_bench_scale";
if (!/bench/.test(databaseName(url))) throw new Error(`refusing to use database "${databaseName(url)}": its name must contain "bench"`);
const wanted = Number(args.events.replaceAll("_", ""));
const minimum = Number(args.min.replaceAll("_", ""));
const statePath = path.join(dataDir, "bench-scale.json");
const GB = 1024 ** 3;

type State = { events: number; bytesPerMillion?: number; steps: Record<string, { seconds: number; load: string; at: string }> };
const load = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

async function query<T extends pg.QueryResultRow>(sql: string, database = url): Promise<T[]> {
  const c = new pg.Client({ connectionString: database });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** Free bytes on the server's data disk, when the server runs on this machine (else undefined: the size is not capped). */
async function serverFreeBytes(): Promise<number | undefined> {
  const [row] = await query<{ dir: string }>("SELECT current_setting('data_directory') AS dir", withDatabase(url, "postgres")).catch(() => []);
  if (!row || !fs.existsSync(row.dir)) return undefined;
  const s = fs.statfsSync(row.dir);
  return s.bavail * s.bsize;
}

function readState(): State | undefined {
  try {
    return JSON.parse(fs.readFileSync(statePath, "utf8")) as State;
  } catch {
    return undefined;
  }
}

async function main() {
  const previous = args.fresh ? undefined : readState();
  const perMillion = previous?.bytesPerMillion ?? 0.55 * GB;
  const need = (n: number) => (2 * perMillion * n) / 1e6 + 10 * GB; // seeded + bench:ingest's database, WAL and sorts
  const free = await serverFreeBytes();
  // A run that was started before keeps its size (resuming), whatever the disk says now that it holds the data.
  let events = previous?.events ?? wanted;
  if (!previous && free !== undefined) while (events > minimum && need(events) > free) events -= 10_000_000;
  console.log(
    `bench:scale: ${wanted.toLocaleString("en-US")} events asked; needs ~${(need(wanted) / GB).toFixed(0)} GB ` +
      `(${(perMillion / GB).toFixed(2)} GB per million, twice, + 10 GB); server disk free: ${free === undefined ? "unknown (remote server)" : `${(free / GB).toFixed(0)} GB`}`,
  );
  if (events !== wanted) console.log(`bench:scale: running ${events.toLocaleString("en-US")} events (${previous ? "resuming the recorded run; --fresh to start over" : "the largest multiple of 10M that fits"})`);
  if (!previous && free !== undefined && need(events) > free) {
    throw new Error(`not enough disk for ${events.toLocaleString("en-US")} events (--min): ~${(need(events) / GB).toFixed(0)} GB needed`);
  }

  const state: State = previous ?? { events, steps: {} };
  const save = () => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
  };
  const step = async (name: string, work: () => Promise<void>) => {
    if (state.steps[name]) return console.log(`\nbench:scale: ${name}: done ${state.steps[name]!.at} (${state.steps[name]!.seconds} s), skipped`);
    console.log(`\nbench:scale: ${name} (load average ${load()})`);
    const started = performance.now();
    await work();
    state.steps[name] = { seconds: Math.round((performance.now() - started) / 1000), load: load(), at: new Date().toISOString() };
    save();
  };
  const env = (extra: Record<string, string>) => ({ env: baseEnv(extra) });

  await step("seed and dashboards", () =>
    runOrThrow("tsx", ["scripts/bench-query.ts"], env({ BENCH_DATABASE_URL: url, BENCH_EVENTS: String(events), BENCH_CURRENCIES: "1", BENCH_REQUESTS: process.env.BENCH_REQUESTS ?? "60" })),
  );
  const [size] = await query<{ bytes: string; events: string }>(`SELECT pg_database_size(current_database())::text AS bytes, (SELECT count(*) FROM usage_events)::text AS events`);
  state.bytesPerMillion = Number(size!.bytes) / (Number(size!.events) / 1e6);
  save();
  await step("invoices", () =>
    runOrThrow("tsx", ["--conditions=react-server", "scripts/bench-billing.ts", "--customers", args.customers, "--prepare"], env({ DATABASE_URL: url })),
  );
  await step("ingestion at size", () =>
    runOrThrow("tsx", ["scripts/bench-ingest.ts", "--stored", String(events)], env({ DATABASE_URL: url, BENCH_INGEST_DATABASE: `${databaseName(url)}_ingest` })),
  );
  await step("retention", () =>
    runOrThrow("tsx", ["--conditions=react-server", "scripts/bench-retention.ts", "--events", String(Math.round(events / 12))], env({ DATABASE_URL: withDatabase(url, `${databaseName(url)}_retention`) })),
  );

  console.log(`\nbench:scale: ${events.toLocaleString("en-US")} events; seeded database ${(Number(size!.bytes) / GB).toFixed(1)} GB, ${(state.bytesPerMillion / GB).toFixed(2)} GB per million events`);
  for (const [name, s] of Object.entries(state.steps)) console.log(`  ${name}: ${s.seconds} s (load average after: ${s.load})`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
