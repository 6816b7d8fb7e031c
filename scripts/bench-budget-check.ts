// npm run bench:budget-check [-- --seconds 15 --connections 8 --ingest-rate 5000 --server serve|next --cpu-prof DIR]
// Starts the production server, scripts/serve.mjs (--server next: plain `next start`; built if its sources changed)
// on a scratch database next to DATABASE_URL (else in the embedded cluster), with limits on 5 departments (a tree), 30 agents and the calling key. While one client ingests
// ~5,000 events/s (1,000-event batches every 200 ms, costs on the bench's agents), `connections` keep-alive clients
// POST /api/v1/budget-checks for `seconds` s (agents in turn, half with an estimatedCost). Prints check latency
// p50/p99/max, checks/s, the server's CPU per check (load-independent), the ingest rate achieved, answers by level,
// and the load average.
import fs from "node:fs";
import http from "node:http";
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort } from "../tests/helpers/app-server";
import { baseEnv, buildIfChanged, current, databaseName, generateIfChanged, loadDotEnv, nextAuthSecret, onShutdown, root, serveCommand, stopChildren, withDatabase } from "./lib/common";
import { enableAppLogin } from "./lib/app-role";
import { migrateDeploy, provideDatabase } from "./lib/database";
import { AGENTS, prepare } from "./lib/budget-bench";

const { values: args_ } = parseArgs({
  options: {
    seconds: { type: "string", default: "15" },
    connections: { type: "string", default: "8" },
    "ingest-rate": { type: "string", default: "5000" },
    // serve: the production server (scripts/serve.mjs, the check on its fast path); next: plain `next start`, for comparison.
    server: { type: "string", default: "serve" },
    // A directory: the server runs under `node --cpu-prof` and writes its profile there when it stops.
    "cpu-prof": { type: "string" },
  },
});
const SECONDS = Number(args_.seconds);
const CONNECTIONS = Number(args_.connections);
const INGEST_RATE = Number(args_["ingest-rate"]);
const BATCH = 1000;

async function startServer(databaseUrl: string) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = ["-p", String(port), "-H", "127.0.0.1"];
  const [cmd, cmdArgs] = args_.server === "next" ? [`${root}/node_modules/.bin/next`, ["start", ...args]] : serveCommand(args);
  if (args_["cpu-prof"]) cmdArgs.unshift("--cpu-prof", `--cpu-prof-dir=${args_["cpu-prof"]}`);
  const child = spawn(cmd, cmdArgs, {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: baseEnv({ NODE_ENV: "production", DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: nextAuthSecret(), NEXTAUTH_URL: baseUrl, LOG_LEVEL: "warn", DB_POOL_SIZE: "10" }),
  });
  current.add(child);
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error("the server exited");
    if (await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)) return { port, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGTERM");
  throw new Error("the server did not become healthy within 60 s");
}

/** User+system CPU (ms) used so far by a process and its descendants (Linux /proc; clock ticks are 10 ms); `own`: the process alone. */
function processTreeCpuMs(root: number): { tree: number; own: number } {
  const stats = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // state ppid … utime(12th) stime(13th)
      return [{ pid: Number(pid), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) }];
    } catch {
      return [];
    }
  });
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of stats) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return { tree: stats.filter((p) => tree.has(p.pid)).reduce((sum, p) => sum + p.ticks * 10, 0), own: (stats.find((p) => p.pid === root)?.ticks ?? 0) * 10 };
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
  const DB_NAME = `${databaseName(database.ownerUrl)}_bench_budget`; // beside DATABASE_URL's database (embedded: agentledger_…)
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

    const cpuBefore = processTreeCpuMs(server.child.pid!);
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
    const cpuAfter = processTreeCpuMs(server.child.pid!);
    const serverCpuMs = cpuAfter.tree - cpuBefore.tree;
    const checkCpuMs = cpuAfter.own - cpuBefore.own;
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
  server CPU:      ${(serverCpuMs / latencies.length * 1000).toFixed(0)} µs per check (user+system of the server's processes over the run${INGEST_RATE > 0 ? ", ingestion included" : ""}; ${(serverCpuMs / 10 / checkSeconds).toFixed(0)}% of a core)${args_.server === "next" ? "" : `
  check process:   ${(checkCpuMs / latencies.length * 1000).toFixed(0)} µs per check (${(checkCpuMs / 10 / checkSeconds).toFixed(0)}% of a core; the rest is the Next process, ingestion)`}
  server:          ${args_.server === "next" ? "next start (Next's router)" : "scripts/serve.mjs (check process + Next process)"}
  ingest meanwhile: ${(ingested / ingestSeconds).toFixed(0)} events/s (target ${INGEST_RATE}), ${ingested} events
  load average:    ${load} (2 cores; client, server and PostgreSQL share them)`);
    if (errors > 0) process.exitCode = 1;
  } finally {
    server?.child.kill("SIGTERM");
    if (server && server.child.exitCode === null) await new Promise((r) => server!.child.once("exit", r)); // the profile is written on exit
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
