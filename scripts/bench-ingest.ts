// npm run bench:ingest [-- --events 300000 --clients 4 --batch 1000 --stored 0 --currencies]
// Builds the app if needed, starts the server (scripts/serve.mjs) on a scratch database (next to DATABASE_URL, else in the embedded
// cluster), POSTs realistic 1,000-event batches from concurrent clients, then COPYs the same events into a scratch
// table with the same indexes, and into usage_events itself (with their idempotency keys). Prints events/s,
// p50/p99 batch latency, peak server RSS, HTTP ÷ COPY, the rollup tail's peak and the time the server's fold takes to
// empty it after the last batch (with the rate counting that time: every event in the folded rollups), a 30-day daily
// rollup read every 2 s while ingesting and once folded, and how many batches were answered 503 ingestion_backlog
// (retried by the clients). --stored N first loads N events (the 12 months before
// the bench's month, by generate_series as the owner) and builds their rollups, to measure ingestion at size.
// --currencies: a third of the reported costs are sent in EUR, JPY or GBP, with daily EUR rates seeded
// (scripts/lib/bench-fx.ts), so ingestion converts them; the COPY comparisons load the amounts as they are.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { MODEL_PRICES } from "../lib/pricing/model-prices";
import { rebuildRollups } from "../lib/rollups/rebuild";
import { freePort } from "../tests/helpers/app-server";
import { baseEnv, buildIfChanged, current, generateIfChanged, loadDotEnv, nextAuthSecret, onShutdown, root, serveCommand, stopChildren, withDatabase } from "./lib/common";
import { enableAppLogin } from "./lib/app-role";
import { migrateDeploy, provideDatabase } from "./lib/database";
import { BENCH_CURRENCIES, PER_USD, seedBenchRates } from "./lib/bench-fx";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "300000" },
    clients: { type: "string", default: "4" },
    batch: { type: "string", default: "1000" },
    stored: { type: "string", default: "0" },
    currencies: { type: "boolean", default: false },
  },
});
const STORED = Number(args.stored);
const TOTAL = Number(args.events);
const CLIENTS = Number(args.clients);
const BATCH = Number(args.batch);
const WARMUP_BATCHES = 20;

type BenchEvent = Record<string, unknown> & { id: string; timestamp: string; agent: string; type: string };

/** Deterministic PRNG: every run sends the same events. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEPARTMENTS = ["SUPPORT", "SALES", "FINANCE", "IT", "MARKETING"];
const MODELS = MODEL_PRICES.map((p) => p.model);

/** A month of traffic from 30 agents: LLM calls (half priced by AgentLedger), actions, conversations, tasks. */
function makeEvents(count: number, prefix: string): BenchEvent[] {
  const random = mulberry32(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const start = Date.now() - 30 * 86_400_000;
  return Array.from({ length: count }, (_, i) => {
    const kind = random();
    const e: BenchEvent = {
      id: `${prefix}-${i}`,
      timestamp: new Date(start + Math.floor(random() * 30 * 86_400_000)).toISOString(),
      agent: `agent-${Math.floor(random() * 30)}`,
      type: kind < 0.6 ? "llm.call" : kind < 0.8 ? "agent.action" : kind < 0.9 ? "agent.conversation" : "task.completed",
      properties: { region: pick(["eu", "us", "apac"]), channel: pick(["chat", "email", "voice"]), attempt: 1 + Math.floor(random() * 3) },
    };
    if (random() < 0.3) e.department = pick(DEPARTMENTS);
    if (random() < 0.5) e.customer = `customer-${Math.floor(random() * 20)}`;
    if (e.type === "llm.call") {
      e.model = pick(MODELS);
      e.tokens = { input: 200 + Math.floor(random() * 4000), output: 50 + Math.floor(random() * 1000), cache_read: Math.floor(random() * 2000) };
      if (random() < 0.5) {
        const usd = random() * 0.05;
        // Drawn only with --currencies, so the default run sends the same events as before.
        const other = args.currencies && random() < 1 / 3 ? pick(BENCH_CURRENCIES) : null;
        e.cost = other ? { amount: (usd * PER_USD[other]).toFixed(6), currency: other } : { amount: usd.toFixed(6), currency: "USD" };
      }
    } else if (e.type === "task.completed") {
      e.task = { type: pick(["case_resolution", "lead_qualification", "invoice_matching"]), handled_by: random() < 0.85 ? "agent" : "human", status: pick(["completed", "completed", "completed", "escalated", "failed"]), duration_seconds: Math.round(random() * 600_000) / 1000 };
    } else if (random() < 0.3) {
      e.quantity = 1 + Math.floor(random() * 5);
    }
    return e;
  });
}

async function prepareDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Bench', 'USD', 'Europe/Berlin', now())");
    await client.query("INSERT INTO departments (code, name, updated_at) SELECT c, c, now() FROM unnest($1::text[]) c", [DEPARTMENTS]);
    if (args.currencies) {
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      await seedBenchRates(client, day(Date.now() - 40 * 86_400_000), day(Date.now() + 86_400_000));
    }
    for (const p of MODEL_PRICES) {
      await client.query(
        `INSERT INTO model_prices (model, provider, currency, input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_creation_per_mtok, reasoning_per_mtok, effective_from, effective_to)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [p.model, p.provider, p.currency, p.inputPerMTok, p.outputPerMTok, p.cacheReadPerMTok, p.cacheCreationPerMTok, p.reasoningPerMTok, p.effectiveFrom, p.effectiveTo],
      );
    }
    const secret = "al_bench_" + randomBytes(24).toString("base64url");
    // Stored the way lib/auth/api-keys.ts stores keys: SHA-256 of the secret. Unbound, and may create agents
    // (the bench's agents are new): the policy checks that need lookups are measured by the integration tests.
    await client.query(
      "INSERT INTO api_keys (name, prefix, hash, source, scopes, rate_limit_per_minute, may_create_entities, may_write_finalized) VALUES ('bench', $1, $2, 'bench', '{ingest}', 1000000, true, true)",
      [secret.slice(0, 10), createHash("sha256").update(secret).digest("hex")],
    );
    return secret;
  } finally {
    await client.end();
  }
}

/** True when usage_events is partitioned and idempotency keys live in usage_event_keys (migration 20261202090000). */
async function isPartitioned(client: pg.Client): Promise<boolean> {
  return (await client.query<{ p: boolean }>("SELECT to_regclass('usage_event_keys') IS NOT NULL AS p")).rows[0]!.p;
}

/**
 * `count` stored events over the 12 months before the bench's 30-day window (same agents, customers and source as
 * the bench, so the indexes hold the same kind of keys), inserted 1M at a time, then their rollups. On the
 * partitioned schema, every month of the preload and of the bench gets its partition first, as the daily job would
 * have created it; the key table gets a row per event.
 */
async function preload(url: string, count: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    await client.query("SET statement_timeout = 0");
    const partitioned = await isPartitioned(client);
    const end = Date.now() - 31 * 86_400_000;
    const start = end - 365 * 86_400_000;
    if (partitioned) {
      await client.query(
        `SELECT usage_events_add_partition(m) FROM (SELECT DISTINCT date_trunc('month', d, 'UTC') AS m
           FROM generate_series($1::timestamptz, now(), interval '1 day') d) months ORDER BY m`,
        [new Date(start)],
      );
    }
    if (count === 0) return;
    await client.query("INSERT INTO agents (key, name, updated_at) SELECT 'agent-' || g, 'agent-' || g, now() FROM generate_series(0, 29) g ON CONFLICT DO NOTHING");
    await client.query("INSERT INTO customers (key, name, updated_at) SELECT 'customer-' || g, 'customer-' || g, now() FROM generate_series(0, 19) g ON CONFLICT DO NOTHING");
    const step = (end - start) / count;
    for (let lo = 1; lo <= count; lo += 1_000_000) {
      const hi = Math.min(count, lo + 999_999);
      const insert = `INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, customer_id, quantity, reported_cost, cost, model,
           input_tokens, output_tokens, cache_read_tokens, properties)
         SELECT 'bench', 'stored-' || g, to_timestamp(($3::float8 + g * $4::float8) / 1000),
           CASE WHEN g % 5 < 3 THEN 'llm.call' ELSE 'agent.action' END, a.id, c.id, 1 + g % 3,
           CASE WHEN g % 2 = 0 THEN (g % 5000) / 100000.0 END, (g % 5000) / 100000.0, CASE WHEN g % 5 < 3 THEN 'model-' || g % 4 END,
           200 + g % 4000, 50 + g % 1000, g % 2000, jsonb_build_object('region', (ARRAY['eu', 'us', 'apac'])[1 + g % 3], 'attempt', 1 + g % 3)
         FROM generate_series($1::bigint, $2::bigint) g
         JOIN agents a ON a.key = 'agent-' || g % 30
         LEFT JOIN customers c ON c.key = 'customer-' || g % 40`;
      await client.query(
        partitioned
          ? `WITH e AS (${insert} RETURNING source, event_key, id, timestamp) INSERT INTO usage_event_keys (source, event_key, event_id, timestamp) SELECT * FROM e`
          : insert,
        [lo, hi, start, step],
      );
      console.log(`preload: ${hi.toLocaleString("en-US")} events (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    await client.query("ANALYZE");
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await rebuildRollups(pool);
    await pool.end();
    await client.query("VACUUM ANALYZE");
    console.log(`preload: ${count.toLocaleString("en-US")} events and their rollups in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
}

/** RSS of a process and its descendants, in bytes (Linux /proc). */
function treeRss(pid: number): number {
  let total = 0;
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // process ended while listing
    }
  }
  for (const stack = [pid]; stack.length; ) {
    const p = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
      total += Number(m?.[1] ?? 0) * 1024;
    } catch {
      // ended
    }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

async function startServer(databaseUrl: string) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(...serveCommand(["-p", String(port), "-H", "127.0.0.1"]), {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: baseEnv({ NODE_ENV: "production", DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: nextAuthSecret(), NEXTAUTH_URL: baseUrl, LOG_LEVEL: "warn", DB_POOL_SIZE: "10" }),
  });
  current.add(child); // stopped by stopChildren() on Ctrl-C
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error("the server exited");
    const ok = await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false);
    if (ok) return { baseUrl, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGTERM");
  throw new Error("the server did not become healthy within 60 s");
}

async function sendAll(baseUrl: string, secret: string, bodies: string[], clients: number) {
  const latencies: number[] = [];
  let next = 0;
  let accepted = 0;
  let backlogRetries = 0;
  const client = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t = performance.now();
      for (;;) {
        const res = await fetch(`${baseUrl}/api/v1/events`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
          body,
        });
        const json = (await res.json()) as { accepted?: number; rejected?: unknown[]; error?: { code?: string } };
        // The tail past INGEST_TAIL_LIMIT_ROWS: nothing stored; a client waits as told and sends the batch again.
        if (res.status === 503 && json.error?.code === "ingestion_backlog") {
          backlogRetries++;
          await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? 1) * 1000));
          continue;
        }
        latencies.push(performance.now() - t);
        if (res.status !== 200 || json.rejected?.length) throw new Error(`batch failed: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
        accepted += json.accepted ?? 0;
        break;
      }
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  return { seconds: (performance.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b), accepted, backlogRetries };
}

const csv = (v: unknown) => (v === null || v === undefined ? "" : `"${String(v).replace(/"/g, '""')}"`);

/** The same events as usage_events-like rows, COPYed into a table with usage_events' columns and indexes. */
async function copyBaseline(url: string, events: BenchEvent[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("CREATE TABLE bench_copy (LIKE usage_events INCLUDING DEFAULTS INCLUDING INDEXES)");
    // Partitioned, the unique (source, event_key) lives in usage_event_keys: the scratch table gets it back.
    if (await isPartitioned(client)) await client.query("CREATE UNIQUE INDEX ON bench_copy (source, event_key)");
    const agents = new Map((await client.query<{ key: string; id: number }>("SELECT key, id FROM agents")).rows.map((r) => [r.key, r.id]));
    const lines = events.map((e) => {
      const t = (e.tokens ?? {}) as Record<string, number>;
      const task = (e.task ?? {}) as Record<string, unknown>;
      const cost = (e.cost as { amount: string } | undefined)?.amount ?? "0";
      return [
        "copy", e.id, e.timestamp, e.type, agents.get(e.agent), null, null, e.quantity ?? 1, cost, t.input ?? 0, t.output ?? 0,
        t.cache_read ?? 0, task.type, task.handled_by, task.status, task.duration_seconds, JSON.stringify(e.properties ?? {}),
      ].map(csv).join(",") + "\n";
    });
    const start = performance.now();
    await pipeline(
      Readable.from(lines),
      client.query(
        copyFrom(`COPY bench_copy (source, event_key, timestamp, type, agent_id, department_id, customer_id, quantity, cost, input_tokens,
          output_tokens, cache_read_tokens, task_type, handled_by, task_status, duration_seconds, properties) FROM STDIN (FORMAT csv)`),
      ),
    );
    const scratch = events.length / ((performance.now() - start) / 1000);

    // The same rows into usage_events itself, at its current size (and, partitioned, their keys into
    // usage_event_keys): the least work that stores these events with their idempotency.
    const partitioned = await isPartitioned(client);
    const ids = (await client.query<{ id: string }>("SELECT nextval('usage_events_id_seq')::text AS id FROM generate_series(1, $1)", [events.length])).rows.map((r) => r.id);
    const real = performance.now();
    await client.query("BEGIN");
    await pipeline(
      Readable.from(lines.map((line, i) => `${ids[i]},${line.replace('"copy",', '"copy-real",')}`)),
      client.query(
        copyFrom(`COPY usage_events (id, source, event_key, timestamp, type, agent_id, department_id, customer_id, quantity, cost, input_tokens,
          output_tokens, cache_read_tokens, task_type, handled_by, task_status, duration_seconds, properties) FROM STDIN (FORMAT csv)`),
      ),
    );
    if (partitioned) {
      await pipeline(
        Readable.from(events.map((e, i) => [csv("copy-real"), csv(e.id), csv(ids[i]), csv(e.timestamp)].join(",") + "\n")),
        client.query(copyFrom("COPY usage_event_keys (source, event_key, event_id, timestamp) FROM STDIN (FORMAT csv)")),
      );
    }
    await client.query("COMMIT");
    return { scratch, real: events.length / ((performance.now() - real) / 1000), partitioned };
  } finally {
    await client.end();
  }
}

async function main() {
  loadDotEnv();
  const database = await provideDatabase();
  const admin = new pg.Client({ connectionString: withDatabase(database.ownerUrl, "postgres") });
  // BENCH_INGEST_DATABASE: another name, so runs from two checkouts on one server do not drop each other's database.
  const benchName = process.env.BENCH_INGEST_DATABASE ?? "agentledger_bench_ingest";
  const benchUrl = withDatabase(database.ownerUrl, benchName);
  onShutdown(async () => {
    await stopChildren();
    await database.stop();
  });
  await admin.connect();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(benchName)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(benchName)}`);
    await generateIfChanged();
    await migrateDeploy(benchUrl);
    const secret = await prepareDatabase(benchUrl);
    await preload(benchUrl, STORED);
    const buildCode = await buildIfChanged(baseEnv({ DATABASE_URL: benchUrl, NEXTAUTH_SECRET: nextAuthSecret() }));
    if (buildCode !== 0) throw new Error("next build failed");

    const events = makeEvents(TOTAL, "bench");
    const warmup = makeEvents(WARMUP_BATCHES * BATCH, "warmup");
    const batches = (list: BenchEvent[]) =>
      Array.from({ length: Math.ceil(list.length / BATCH) }, (_, i) => JSON.stringify({ events: list.slice(i * BATCH, (i + 1) * BATCH) }));

    // The server runs as the app role, as in production; setup and COPY comparisons run as the owner.
    server = await startServer(await enableAppLogin(benchUrl));
    const pid = server.child.pid!;
    await sendAll(server.baseUrl, secret, batches(warmup), CLIENTS);
    const rssAfterWarmup = treeRss(pid);
    let peakRss = rssAfterWarmup;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRss(pid))), 100);
    // The rollup tail (lib/rollups/fold.ts): its longest length while the batches arrive, and how long the server's
    // fold then takes to empty it (after which every event is in the folded rollups).
    const tail = new pg.Client({ connectionString: benchUrl });
    await tail.connect();
    const tailRows = async () => Number((await tail.query<{ n: string }>("SELECT count(*) AS n FROM usage_rollup_tail")).rows[0]!.n);
    // What the tail costs a reader: a 30-day daily total through the view (folded + tail), while ingesting and after.
    const dailyRead = async () => {
      const t = performance.now();
      await tail.query("SELECT day, sum(cost) FROM usage_rollup_daily WHERE day >= current_date - 30 GROUP BY day");
      return performance.now() - t;
    };
    // Sampled cheaply (the ids the tail spans, from its primary key's ends; a read every 2 s), not to slow the run.
    const tailSpan = async () => Number((await tail.query<{ n: string }>("SELECT coalesce(max(id) - min(id) + 1, 0) AS n FROM usage_rollup_tail")).rows[0]!.n);
    let peakTail = 0;
    const readsDuring: number[] = [];
    let sampling = true;
    const tailSampler = (async () => {
      for (let i = 0; sampling; i++) {
        peakTail = Math.max(peakTail, await tailSpan());
        if (i % 8 === 7) readsDuring.push(await dailyRead());
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const run = await sendAll(server.baseUrl, secret, batches(events), CLIENTS);
    clearInterval(sampler);
    sampling = false;
    await tailSampler;
    const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    const tailAtEnd = await tailRows();
    const drainStart = performance.now();
    while ((await tailRows()) > 0) await new Promise((r) => setTimeout(r, 50));
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const readsAfter = [await dailyRead(), await dailyRead(), await dailyRead()];
    await tail.end();
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!.toFixed(0);
    const rssAtEnd = treeRss(pid);

    const check = new pg.Client({ connectionString: benchUrl });
    await check.connect();
    const totals = await check.query<{ raw: string; hourly: string; daily: string; core: string; hourly_core: string; daily_customer: string; raw_cost: string; daily_cost: string; core_cost: string; hourly_core_cost: string; daily_customer_cost: string }>(
      `SELECT (SELECT count(*) FROM usage_events)::text AS raw, (SELECT sum(events) FROM usage_rollup_hourly)::text AS hourly,
              (SELECT sum(events) FROM usage_rollup_daily)::text AS daily, (SELECT sum(events) FROM usage_rollup_daily_core)::text AS core,
              (SELECT sum(cost) FROM usage_events)::text AS raw_cost, (SELECT sum(cost) FROM usage_rollup_daily)::text AS daily_cost,
              (SELECT sum(cost) FROM usage_rollup_daily_core)::text AS core_cost,
              (SELECT sum(events) FROM usage_rollup_hourly_core)::text AS hourly_core, (SELECT sum(cost) FROM usage_rollup_hourly_core)::text AS hourly_core_cost,
              (SELECT sum(events) FROM usage_rollup_daily_customer)::text AS daily_customer, (SELECT sum(cost) FROM usage_rollup_daily_customer)::text AS daily_customer_cost`,
    );
    const fx = await check.query<{ currency: string; converted: string; pending: string }>(
      "SELECT original_currency AS currency, count(*) FILTER (WHERE NOT fx_pending)::text AS converted, count(*) FILTER (WHERE fx_pending)::text AS pending FROM usage_events WHERE original_currency IS NOT NULL GROUP BY 1 ORDER BY 1",
    );
    await check.end();
    server.child.kill("SIGTERM");
    server = undefined;

    const copy = await copyBaseline(benchUrl, events);
    const rate = run.accepted / run.seconds;
    const pct = (p: number) => run.latencies[Math.min(run.latencies.length - 1, Math.floor(p * run.latencies.length))]!.toFixed(0);
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    const t = totals.rows[0]!;
    const exact = t.raw === t.hourly && t.raw === t.daily && t.raw === t.core && t.raw === t.hourly_core && t.raw === t.daily_customer &&
      t.raw_cost === t.daily_cost && t.raw_cost === t.core_cost && t.raw_cost === t.hourly_core_cost && t.raw_cost === t.daily_customer_cost;
    console.log(`
schema: ${copy.partitioned ? "partitioned usage_events + usage_event_keys" : "one usage_events table"}, ${STORED.toLocaleString("en-US")} events stored before the run, load average ${load}
ingest over HTTP: ${run.accepted} events in ${run.seconds.toFixed(2)} s, ${CLIENTS} clients × ${BATCH}-event batches (after ${WARMUP_BATCHES} warm-up batches)
  events/s:            ${rate.toFixed(0)}
  batch latency:       p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms (retries included; ${run.backlogRetries} answers of 503 ingestion_backlog)
  server RSS:          ${mb(rssAfterWarmup)} after warm-up, peak ${mb(peakRss)}, ${mb(rssAtEnd)} at the end
  rollup tail:         peak ${peakTail.toLocaleString("en-US")} rows (ids spanned) while ingesting, ${tailAtEnd.toLocaleString("en-US")} at the end, folded in ${drainSeconds.toFixed(2)} s after the last batch
  30-day daily read:   median ${median(readsDuring)} ms, max ${Math.max(...readsDuring).toFixed(0)} ms while ingesting (${readsDuring.length} reads); ${median(readsAfter)} ms folded
  ingested and folded: ${(run.accepted / (run.seconds + drainSeconds)).toFixed(0)} events/s (all events in the folded rollups)
  rollups == raw:      ${exact ? "yes" : "NO"} (${t.raw} events, cost ${t.raw_cost})
  other currencies:    ${fx.rows.length ? fx.rows.map((r) => `${r.currency} ${r.converted} converted, ${r.pending} pending`).join("; ") : "none (run with --currencies)"}
COPY of the same events (no rollups, no validation):
  into a new table with usage_events' columns and indexes:   ${copy.scratch.toFixed(0)} rows/s, HTTP ingest ÷ COPY ${(rate / copy.scratch).toFixed(2)}
  into usage_events itself${copy.partitioned ? " + usage_event_keys" : ""} (${STORED.toLocaleString("en-US")} stored): ${copy.real.toFixed(0)} rows/s, HTTP ingest ÷ COPY ${(rate / copy.real).toFixed(2)}`);
    if (t.raw !== String(STORED + TOTAL + WARMUP_BATCHES * BATCH) || !exact) process.exitCode = 1;
  } finally {
    server?.child.kill("SIGTERM");
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(benchName)} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await database.stop();
  }
}

main().catch(async (error: Error) => {
  console.error(error.message);
  await stopChildren();
  process.exit(1);
});
