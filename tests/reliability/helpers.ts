// Reliability suite helpers: a server process (scripts/serve.mjs) we can SIGKILL/SIGTERM and restart on the same port with
// all of its output kept (for the secrets-in-logs scan), retrying ingestion clients, and a few checks.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appRoleUrl } from "../../scripts/lib/app-role";
import { baseEnv, dataDir, root, serveCommand } from "../../scripts/lib/common";
import { freePort } from "../helpers/app-server";

/** Every line any app process printed during this test file (stdout and stderr). */
export const serverOutput: string[] = [];
export const logDir = path.join(dataDir, "reliability-logs");

export const NEXTAUTH_SECRET = `reliability-nextauth-secret-${process.pid}-0123456789abcdef`;

export interface App {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let snapshot: string | undefined;
/**
 * A private copy of the build: other engineers' `next build` may wipe the shared .next mid-run, and a restarted
 * app must find the same build. Everything else is symlinked to the checkout.
 */
export function appDir(): string {
  // npm run test:reliability makes one copy for all test files (each runs in its own worker).
  if (process.env.RELIABILITY_APP_DIR) return process.env.RELIABILITY_APP_DIR;
  if (snapshot) return snapshot;
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("no build in .next: run `npm run build` first");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentledger-reliability-app-"));
  for (const name of fs.readdirSync(root)) {
    if (name === ".next" || name === ".git") continue;
    fs.symlinkSync(path.join(root, name), path.join(dir, name));
  }
  fs.cpSync(path.join(root, ".next"), path.join(dir, ".next"), { recursive: true, filter: (src) => !/\/\.next\/(cache|dev)(\/|$)/.test(src) });
  if (!fs.existsSync(path.join(dir, ".next/BUILD_ID"))) throw new Error(".next changed while it was copied (a build is running?): retry");
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return (snapshot = dir);
}

/** Starts the production server (scripts/serve.mjs on the built .next) and waits for the port to answer (any status: the DB may be down). */
export async function spawnApp(opts: { databaseUrl: string; port?: number; env?: Record<string, string>; label: string; timeoutMs?: number }): Promise<App> {
  const dir = appDir();
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(...serveCommand([dir, "-p", String(port), "-H", "127.0.0.1"]), {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: baseEnv({
      NODE_ENV: "production",
      // As the app role, like production (the test server's global setup let it log in).
      DATABASE_URL: appRoleUrl(opts.databaseUrl),
      DATABASE_OWNER_URL: opts.databaseUrl,
      NEXTAUTH_SECRET,
      NEXTAUTH_URL: baseUrl,
      // The most verbose level: the secrets scan must see everything the app could ever print.
      LOG_LEVEL: "debug",
      API_RATE_LIMIT_PER_MINUTE: "1000000",
      READ_RATE_LIMIT_PER_MINUTE: "1000000",
      ...opts.env,
    }),
  });
  fs.mkdirSync(logDir, { recursive: true });
  const file = fs.createWriteStream(path.join(logDir, `${opts.label}.log`), { flags: "a" });
  const keep = (d: Buffer) => {
    serverOutput.push(d.toString());
    file.write(d);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      file.end();
      resolve({ code, signal });
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (done) throw new Error(`the server exited before answering:\n${serverOutput.slice(-20).join("")}`);
    try {
      await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(3_000) });
      return { baseUrl, port, child, exited };
    } catch {
      await sleep(100);
    }
  }
  child.kill("SIGKILL");
  throw new Error(`the server did not answer on ${baseUrl} within ${opts.timeoutMs ?? 60_000} ms`);
}

export async function stopApp(app: App, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill(signal);
  const timer = setTimeout(() => app.child.kill("SIGKILL"), 10_000);
  await app.exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 50 ms until it returns a value (a progress point), or fails naming `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Deterministic PRNG, so a failing run can be replayed. */
export function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Batch = { index: number; events: Record<string, unknown>[] };

/**
 * `count` batches of `size` events with unique ids; every batch after the first also repeats `overlap` ids of
 * the previous one (the same event again, as a client retrying after a lost response would).
 */
export function makeBatches(count: number, size: number, overlap: number, seed = 7, prefix = "r"): Batch[] {
  const random = mulberry32(seed);
  const batches: Batch[] = [];
  const base = Date.UTC(2026, 10, 1);
  for (let b = 0; b < count; b++) {
    const events: Record<string, unknown>[] = [];
    if (b > 0) events.push(...batches[b - 1]!.events.slice(0, overlap));
    for (let i = events.length; i < size; i++) {
      events.push({
        id: `${prefix}-${b}-${i}`,
        timestamp: new Date(base + Math.floor(random() * 20 * 86_400_000)).toISOString(),
        agent: `agent-${Math.floor(random() * 8)}`,
        type: random() < 0.7 ? "llm.call" : "agent.action",
        quantity: (1 + Math.floor(random() * 1000) / 1000).toFixed(3),
        cost: { amount: (random() * 0.05).toFixed(6), currency: "USD" },
        customer: `customer-${Math.floor(random() * 5)}`,
      });
    }
    batches.push({ index: b, events });
  }
  return batches;
}

export type ClientStats = { requests: number; acknowledged: number; failures: number; statuses: Record<string, number>; ackIds: Set<string> };

/**
 * Concurrent clients pulling batches from one queue; each retries its batch (same body, same ids) until the
 * server acknowledges it with 200, as a real SDK would. `baseUrl()` is read per attempt (the app may move).
 */
export async function runClients(opts: {
  baseUrl: () => string;
  key: string;
  batches: Batch[];
  clients: number;
  timeoutMs?: number;
  retryDelayMs?: number;
  abort?: () => Error | undefined;
  /** Called after each acknowledged batch with the count so far (fault tests act at progress points). */
  onAck?: (acknowledged: number) => void;
  /** Awaited before a client takes its next batch (a fault test holds new batches until its fault happened). */
  beforeBatch?: () => Promise<void>;
}): Promise<ClientStats> {
  const queue = [...opts.batches];
  const stats: ClientStats = { requests: 0, acknowledged: 0, failures: 0, statuses: {}, ackIds: new Set() };
  const next = async () => {
    await opts.beforeBatch?.();
    return queue.shift();
  };
  const worker = async () => {
    for (let batch = await next(); batch; batch = await next()) {
      const body = JSON.stringify({ events: batch.events });
      for (;;) {
        const aborted = opts.abort?.();
        if (aborted) throw aborted;
        stats.requests++;
        let status = "network";
        try {
          const res = await fetch(`${opts.baseUrl()}/api/v1/events`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${opts.key}` },
            body,
            signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
          });
          status = String(res.status);
          const json = (await res.json().catch(() => null)) as { rejected?: unknown[] } | null;
          if (res.status === 200) {
            if (json?.rejected?.length) throw new Error(`batch ${batch.index}: rejected events ${JSON.stringify(json.rejected).slice(0, 300)}`);
            stats.acknowledged++;
            for (const e of batch.events) stats.ackIds.add(e.id as string);
            stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
            opts.onAck?.(stats.acknowledged);
            break;
          }
          if (res.status !== 503) throw new Error(`batch ${batch.index}: unexpected status ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith(`batch ${batch.index}:`)) throw error;
        }
        stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
        stats.failures++;
        await sleep(opts.retryDelayMs ?? 150);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, worker));
  return stats;
}

/** Throws naming the secret (by label, never its value) if any text contains it. */
export function findSecrets(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, s]) => s.length >= 8 && text.includes(s))
    .map(([label]) => label);
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
