// npm run bench:budget-check [-- --seconds 15 --connections 8 --ingest-rate 5000]
// Starts `next start` (built if its sources changed) on a scratch database next to DATABASE_URL (else in the
// embedded cluster), with limits on 5 departments (a tree), 30 agents and the calling key. While one client ingests
// ~5,000 events/s (1,000-event batches every 200 ms, costs on the bench's agents), `connections` keep-alive clients
// POST /api/v1/budget-checks for `seconds` s (agents in turn, half with an estimatedCost). Prints check latency
// p50/p99/max, checks/s, the ingest rate achieved, answers by level, and the load average.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort } from "../tests/helpers/app-server";
import { baseEnv, buildIfChanged, current, generateIfChanged, loadDotEnv, nextAuthSecret, onShutdown, root, stopChildren, withDatabase } from "./lib/common";
import { enableAppLogin } from "./lib/app-role";
import { migrateDeploy, provideDatabase } from "./lib/database";

const { values: args } = parseArgs({
  options: { seconds: { type: "string", default: "15" }, connections: { type: "string", default: "8" }, "ingest-rate": { type: "string", default: "5000" } },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const INGEST_RATE = Number(args["ingest-rate"]);
const BATCH = 1000;
const AGENTS = Array.from({ length: 30 }, (_, i) => `agent-${i}`);
const DB_NAME = "agentledger_bench_budget";

const key = () => "al_bench_" + randomBytes(24).toString("base64url");
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

async function prepare(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Bench', 'USD', 'Europe/Berlin', now())");
    await c.query(`INSERT INTO departments (id, code, name, parent_id, monthly_budget, updated_at) VALUES
      (1, 'ORG', 'Org', NULL, NULL, now()), (2, 'SUPPORT', 'Support', 1, 50000, now()), (3, 'SALES', 'Sales', 1, 50000, now()),
      (4, 'T1', 'Tier 1', 2, NULL, now()), (5, 'T2', 'Tier 2', 2, NULL, now())`);
    await c.query("INSERT INTO agents (key, name, department_id, updated_at) SELECT k, k, 2 + (i % 4), now() FROM unnest($1::text[]) WITH ORDINALITY AS t(k, i)", [AGENTS]);
    const [ingest, check] = [key(), key()];
    const { rows } = await c.query<{ id: number }>(
      `INSERT INTO api_keys (name, prefix, hash, source, scopes, rate_limit_per_minute, may_create_entities, may_write_finalized) VALUES
       ('ingest', $1, $2, 'bench', '{ingest}', 10000000, true, true), ('check', $3, $4, 'bench-check', '{check}', 100000000, false, false) RETURNING id`,
      [ingest.slice(0, 10), sha(ingest), check.slice(0, 10), sha(check)]);
    await c.query(`INSERT INTO budget_limits (scope, department_id, agent_id, api_key_id, period, soft, hard, fail_mode, updated_at)
      SELECT 'department', id, NULL::int, NULL::int, 'week', 20000, 40000, 'open', now() FROM departments
      UNION ALL SELECT 'agent', NULL, id, NULL, 'day', 300, 500, 'closed', now() FROM agents
      UNION ALL SELECT 'apiKey', NULL, NULL, $1::int, 'month', NULL, 1000000, 'open', now()`, [rows[1]!.id]);
    return { ingest, check };
  } finally {
    await c.end();
  }
}

async function startServer(databaseUrl: string) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(`${root}/node_modules/.bin/next`, ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: baseEnv({ NODE_ENV: "production", DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: nextAuthSecret(), NEXTAUTH_URL: baseUrl, LOG_LEVEL: "warn", DB_POOL_SIZE: "10" }),
  });
  current.add(child);
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error("next start exited");
    if (await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)) return { port, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGTERM");
  throw new Error("next start did not become healthy within 60 s");
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS + 2 });

function post(port: number, path: string, secret: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: "POST", agent, headers: { "content-type": "application/json", authorization: `Bearer ${secret}`, "content-length": Buffer.byteLength(body) } }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (data += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function main() {
  loadDotEnv();
  const database = await provideDatabase();
  const admin = new pg.Client({ connectionString: withDatabase(database.ownerUrl, "postgres") });
  const url = withDatabase(database.ownerUrl, DB_NAME);
  onShutdown(async () => {
    await stopChildren();
    await database.stop();
  });
  await admin.connect();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    await generateIfChanged();
    await migrateDeploy(url);
    const keys = await prepare(url);
    if ((await buildIfChanged(baseEnv({ DATABASE_URL: url, NEXTAUTH_SECRET: nextAuthSecret() }))) !== 0) throw new Error("next build failed");
    server = await startServer(await enableAppLogin(url));
    const port = server.port;

    let seq = 0;
    const batch = () => JSON.stringify({ events: Array.from({ length: BATCH }, () => {
      const n = seq++;
      return { id: `e-${n}`, timestamp: new Date().toISOString(), agent: AGENTS[n % AGENTS.length], type: "llm.call", cost: { amount: "0.0010", currency: "USD" } };
    }) });
    const bodies = AGENTS.flatMap((a, i) => [JSON.stringify({ agent: a }), JSON.stringify({ agent: a, estimatedCost: { amount: `0.${String(i + 1).padStart(2, "0")}`, currency: "USD" } })]);
    // Warm-up: compile paths, load the cache.
    for (let i = 0; i < 200; i++) await post(port, "/api/v1/budget-checks", keys.check, bodies[i % bodies.length]!);
    await post(port, "/api/v1/events", keys.ingest, batch());

    let running = true;
    let ingested = 0;
    const ingestStart = performance.now();
    const ingestLoop = (async () => {
      const every = (BATCH / INGEST_RATE) * 1000;
      let due = performance.now();
      while (running && INGEST_RATE > 0) { // --ingest-rate 0: the check path alone
        const res = await post(port, "/api/v1/events", keys.ingest, batch());
        if (res.status !== 200) throw new Error(`ingest ${res.status}: ${res.body.slice(0, 300)}`);
        ingested += (JSON.parse(res.body) as { accepted: number }).accepted;
        due += every;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();

    const latencies: number[] = [];
    const levels: Record<string, number> = {};
    let errors = 0;
    const end = performance.now() + SECONDS * 1000;
    const checkStart = performance.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, async (_, c) => {
      let i = c;
      while (performance.now() < end) {
        const t = performance.now();
        const res = await post(port, "/api/v1/budget-checks", keys.check, bodies[i++ % bodies.length]!);
        latencies.push(performance.now() - t);
        if (res.status !== 200) errors++;
        else {
          const level = (JSON.parse(res.body) as { level: string }).level;
          levels[level] = (levels[level] ?? 0) + 1;
        }
      }
    }));
    const checkSeconds = (performance.now() - checkStart) / 1000;
    const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    running = false;
    await ingestLoop;
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2);
    console.log(`
budget checks over HTTP (loopback), ${CONNECTIONS} keep-alive connections, ${SECONDS} s, 36 limits (5 departments in a tree, 30 agents, 1 key)
  checks/s:        ${(latencies.length / checkSeconds).toFixed(0)} (${latencies.length} checks, ${errors} non-200)
  latency:         p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies[latencies.length - 1]!.toFixed(2)} ms
  answers:         ${JSON.stringify(levels)}
  ingest meanwhile: ${(ingested / ingestSeconds).toFixed(0)} events/s (target ${INGEST_RATE}), ${ingested} events
  load average:    ${load} (2 cores; client, server and PostgreSQL share them)`);
    if (errors > 0) process.exitCode = 1;
  } finally {
    server?.child.kill("SIGTERM");
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await database.stop();
  }
}

main().catch(async (error: Error) => {
  console.error(error.message);
  await stopChildren();
  process.exit(1);
});
