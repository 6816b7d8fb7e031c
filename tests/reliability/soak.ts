// npm run bench:soak [-- --minutes 10 --rate 10000 --ingest-clients 2 --dashboard-clients 2]
// Sustained load: `next start` on a scratch database of the test PostgreSQL (see tests/helpers/db.ts), ingestion
// of 1,000-event batches at --rate events/s mixed with dashboard queries (usage, overview, workload), for
// --minutes. Prints per minute: events stored, batch and dashboard latency p50/p99, errors, server RSS; then a
// JSON summary (also .data/soak.json). Flat = last minute's RSS and p99 within a small factor of the first.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createHash } from "node:crypto";
import pg from "pg";
import { dataDir } from "../../scripts/lib/common";
import { createTestDatabase, dropTestDatabase, ensureTemplate, provideTestServer } from "../helpers/db";
import { makeBatches, percentile, sleep, spawnApp, stopApp } from "./helpers";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    rate: { type: "string", default: "10000" },
    "ingest-clients": { type: "string", default: "2" },
    "dashboard-clients": { type: "string", default: "2" },
  },
});
const MINUTES = Number(args.minutes);
const RATE = Number(args.rate);
const INGEST_CLIENTS = Number(args["ingest-clients"]);
const DASH_CLIENTS = Number(args["dashboard-clients"]);
const INGEST = "al_soak_ingest_key_0123456789abcdefghijklmnop";
const READ = "al_soak_read_key_0123456789abcdefghijklmnopqrs";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

async function main() {
  const server = await provideTestServer();
  const dbUrl = await createTestDatabase(await ensureTemplate(server.baseUrl), "soak");
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  await db.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Soak Org', 'USD', 'Europe/Berlin', now())");
  await db.query(
    `INSERT INTO api_keys (name, prefix, hash, source, scopes, rate_limit_per_minute, may_create_entities, may_write_finalized) VALUES
     ('ingest', $1, $2, 'soak', '{ingest}', 10000000, true, true), ('read', $3, $4, 'soak-read', '{read}', 10000000, true, true)`,
    [INGEST.slice(0, 10), sha256(INGEST), READ.slice(0, 10), sha256(READ)],
  );
  const app = await spawnApp({ databaseUrl: dbUrl, label: "soak", env: { LOG_LEVEL: "warn" } });
  const pid = app.child.pid!;
  console.log(`soak: ${MINUTES} min, ${RATE} events/s target, ${INGEST_CLIENTS} ingest + ${DASH_CLIENTS} dashboard clients, app pid ${pid}`);

  type Minute = { ingestMs: number[]; dashMs: number[]; events: number; errors: number };
  const fresh = (): Minute => ({ ingestMs: [], dashMs: [], events: 0, errors: 0 });
  let cur = fresh();
  const rows: Record<string, number>[] = [];
  const end = Date.now() + MINUTES * 60_000;
  let batchNo = 0;
  const batchInterval = (1000 * 1000 * INGEST_CLIENTS) / RATE; // ms between batches per client

  const ingest = async (client: number) => {
    while (Date.now() < end) {
      const started = Date.now();
      const batch = makeBatches(1, 1000, 0, batchNo + 1, `s${client}-${batchNo++}`)[0]!;
      // Spread over the last 30 days so dashboards have work to do.
      const now = Date.now();
      for (const e of batch.events) e.timestamp = new Date(now - Math.floor(Math.random() * 30 * 86_400_000)).toISOString();
      try {
        const res = await fetch(`${app.baseUrl}/api/v1/events`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${INGEST}` },
          body: JSON.stringify({ events: batch.events }),
          signal: AbortSignal.timeout(30_000),
        });
        const json = (await res.json()) as { accepted?: number };
        if (res.status === 200) cur.events += json.accepted ?? 0;
        else cur.errors++;
      } catch {
        cur.errors++;
      }
      cur.ingestMs.push(Date.now() - started);
      await sleep(Math.max(0, batchInterval - (Date.now() - started)));
    }
  };
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const to = new Date();
  const from = new Date(Date.now() - 30 * 86_400_000);
  const queries = [
    `/api/v1/usage?from=${day(from)}&to=${day(to)}&groupBy=agent`,
    `/api/v1/usage?from=${day(from)}&to=${day(to)}&groupBy=customer`,
    `/api/v1/overview?from=${day(from)}&to=${day(to)}`,
    `/api/v1/workload?from=${day(from)}&to=${day(to)}`,
  ];
  const dashboard = async (client: number) => {
    for (let i = client; Date.now() < end; i++) {
      const started = Date.now();
      try {
        const res = await fetch(app.baseUrl + queries[i % queries.length], { headers: { authorization: `Bearer ${READ}` }, signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        if (res.status !== 200) cur.errors++;
      } catch {
        cur.errors++;
      }
      cur.dashMs.push(Date.now() - started);
      await sleep(200);
    }
  };
  const reporter = (async () => {
    for (let minute = 1; Date.now() < end; minute++) {
      const windowStart = Date.now();
      await sleep(Math.min(60_000, end - Date.now()));
      const seconds = (Date.now() - windowStart) / 1000;
      const m = cur;
      cur = fresh();
      const row = {
        minute, events: m.events, eventsPerSec: Math.round(m.events / seconds), ingestP50: percentile(m.ingestMs, 50), ingestP99: percentile(m.ingestMs, 99),
        dashboardP50: percentile(m.dashMs, 50), dashboardP99: percentile(m.dashMs, 99), dashboardRequests: m.dashMs.length, errors: m.errors, rssMiB: rssMiB(pid),
      };
      rows.push(row);
      console.log(Object.entries(row).map(([k, v]) => `${k}=${v}`).join(" "));
    }
  })();
  await Promise.all([...Array.from({ length: INGEST_CLIENTS }, (_, i) => ingest(i)), ...Array.from({ length: DASH_CLIENTS }, (_, i) => dashboard(i)), reporter]);

  const stored = Number((await db.query<{ n: string }>("SELECT count(*)::text AS n FROM usage_events")).rows[0]!.n);
  await db.end();
  await stopApp(app);
  await dropTestDatabase(dbUrl);
  await server.stop();
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const summary = { minutes: MINUTES, rate: RATE, stored, errors: rows.reduce((s, r) => s + (r.errors ?? 0), 0), rssFirst: first.rssMiB, rssLast: last.rssMiB, dashboardP99First: first.dashboardP99, dashboardP99Last: last.dashboardP99, ingestP99First: first.ingestP99, ingestP99Last: last.ingestP99, perMinute: rows };
  fs.writeFileSync(path.join(dataDir, "soak.json"), JSON.stringify(summary, null, 2) + "\n");
  console.log(JSON.stringify({ ...summary, perMinute: undefined }));
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
