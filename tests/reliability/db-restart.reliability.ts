// Database restart: our own embedded PostgreSQL cluster (a temp folder, a free port — never the shared servers) is
// stopped during ingestion and dashboard use. While it is down the app must answer 503 with a JSON message
// quickly (no hang, no 500, no stack trace); once it is back the same app process recovers by itself, and
// every acknowledged event is stored exactly once with rollups equal to raw totals.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSecret } from "@/lib/auth/secret-hash";
import { freePort } from "@/tests/helpers/app-server";
import { createTestDatabase, ensureTemplate } from "@/tests/helpers/db";
import { login } from "@/tests/authorization/fixture";
import { startEmbeddedPg, type EmbeddedPg } from "@/scripts/lib/embedded-pg";
import { findSecrets, makeBatches, runClients, serverOutput, sleep, spawnApp, stopApp, NEXTAUTH_SECRET, type App } from "./helpers";

const INGEST = "al_reliability_dbrestart_ingest_0123456789abc";
const READ = "al_reliability_dbrestart_read_0123456789abcdef";
const PASSWORD = "reliability-admin-password-42";
const DOWN_TIMEOUT_MS = 10_000;

let tmp: string;
let port: number;
let cluster: EmbeddedPg;
let dbUrl: string;
let app: App;
let cookie: string;
const quiet = () => {};

// A unique folder name: as root the cluster may be relocated to /var/lib/agentledger/<hash>/<basename>, next to
// the development clusters ("pg", "pg-test"), which must never be touched.
let clusterName: string;
const startCluster = () => startEmbeddedPg({ dataDir: path.join(tmp, clusterName), port, strictPort: true, log: quiet });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agentledger-reliability-"));
  fs.chmodSync(tmp, 0o755); // as root, user postgres must reach the data folder
  port = await freePort();
  clusterName = `pg-reliability-${process.pid}-${Date.now()}`;
  cluster = await startCluster();
  expect(path.basename(cluster.dataDir)).toBe(clusterName);
  const base = cluster.url("reliability_test");
  const { ensureDatabase } = await import("@/scripts/lib/embedded-pg");
  await ensureDatabase(base);
  dbUrl = await createTestDatabase(await ensureTemplate(base), "dbrestart");
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  await c.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Restart Org', 'USD', 'UTC', now())");
  await c.query(
    `INSERT INTO api_keys (name, prefix, hash, source, scopes, rate_limit_per_minute, may_create_entities, may_write_finalized) VALUES
     ('ingest', $1, $2, 'restart', '{ingest}', 1000000, true, true), ('read', $3, $4, 'restart-read', '{read}', 1000000, true, true)`,
    [INGEST.slice(0, 10), hashSecret(INGEST), READ.slice(0, 10), hashSecret(READ)],
  );
  await c.query("INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('admin@restart.test', 'Admin', $1, 'admin', now())", [await bcrypt.hash(PASSWORD, 4)]);
  await c.end();
  app = await spawnApp({ databaseUrl: dbUrl, label: "db-restart" });
  cookie = (await login(app.baseUrl, "admin@restart.test", PASSWORD))!;
  expect(cookie).toBeTruthy();
});

afterAll(async () => {
  if (app) await stopApp(app);
  if (cluster) await cluster.stop();
  if (cluster && path.basename(cluster.dataDir) === clusterName) fs.rmSync(cluster.dataDir, { recursive: true, force: true });
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  expect(findSecrets(serverOutput.join(""), { INGEST, READ, PASSWORD, NEXTAUTH_SECRET })).toEqual([]);
});

type Probe = { what: string; status: number | string; ms: number; body: string; contentType: string };

async function probe(what: string, url: string, init: RequestInit = {}): Promise<Probe> {
  const t0 = Date.now();
  try {
    const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(DOWN_TIMEOUT_MS) });
    return { what, status: res.status, ms: Date.now() - t0, body: await res.text(), contentType: res.headers.get("content-type") ?? "" };
  } catch (error) {
    return { what, status: (error as Error).name, ms: Date.now() - t0, body: "", contentType: "" };
  }
}

function dashboardProbes(): Promise<Probe[]> {
  const b = app.baseUrl;
  const key = { authorization: `Bearer ${READ}` };
  return Promise.all([
    probe("GET /api/health", `${b}/api/health`),
    probe("GET /api/v1/usage (key)", `${b}/api/v1/usage?from=2026-11-01&to=2026-11-30&groupBy=agent`, { headers: key }),
    probe("GET /api/v1/overview (key)", `${b}/api/v1/overview?from=2026-11-01&to=2026-11-30`, { headers: key }),
    probe("GET /api/v1/overview (session)", `${b}/api/v1/overview?from=2026-11-01&to=2026-11-30`, { headers: { cookie } }),
    probe("GET /api/v1/agents (session)", `${b}/api/v1/agents`, { headers: { cookie } }),
    probe("POST /api/v1/events (key)", `${b}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${INGEST}` },
      body: JSON.stringify({ events: [{ id: "down-1", timestamp: "2026-11-02T10:00:00Z", agent: "a", type: "agent.action" }] }),
    }),
  ]);
}

/** Raw totals and every rollup's totals (events, quantity, cost). */
async function rollupTotals(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = (table: string, count: string) =>
      c.query(`SELECT ${count}::text AS events, trim_scale(coalesce(sum(quantity),0))::text AS quantity, trim_scale(coalesce(sum(cost),0))::text AS cost FROM ${table}`);
    const [raw, hourly, daily, dailyCore, hourlyCore, dailyCustomer] = await Promise.all([
      q("usage_events", "count(*)"),
      q("usage_rollup_hourly", "coalesce(sum(events),0)"),
      q("usage_rollup_daily", "coalesce(sum(events),0)"),
      q("usage_rollup_daily_core", "coalesce(sum(events),0)"),
      q("usage_rollup_hourly_core", "coalesce(sum(events),0)"),
      q("usage_rollup_daily_customer", "coalesce(sum(events),0)"),
    ]);
    const keys = await c.query<{ event_key: string }>("SELECT event_key FROM usage_events WHERE source = 'restart'");
    return { raw: raw.rows[0], hourly: hourly.rows[0], daily: daily.rows[0], dailyCore: dailyCore.rows[0], hourlyCore: hourlyCore.rows[0], dailyCustomer: dailyCustomer.rows[0], keys: keys.rows.map((r) => r.event_key) };
  } finally {
    await c.end();
  }
}

describe("database restart", () => {
  it("answers 503 with a JSON reason while PostgreSQL is down, and recovers without an app restart", async () => {
    const pid = app.child.pid;
    const up = await dashboardProbes();
    for (const p of up) expect(p.status, `${p.what} before the outage: ${p.body.slice(0, 200)}`).toBe(200);

    const batches = makeBatches(30, 1000, 50, 5, "d");
    const clients = runClients({ baseUrl: () => app.baseUrl, key: INGEST, batches, clients: 2, retryDelayMs: 250 });
    await sleep(1_500);
    const stopAt = Date.now();
    await cluster.stop();
    const stopMs = Date.now() - stopAt;
    // Twice while down: right after the stop (pooled connections are dead) and a few seconds later (refused).
    const down = [...(await dashboardProbes()), ...(await sleep(2_000).then(dashboardProbes))];
    const pageDown = await probe("GET /usage (page, session)", `${app.baseUrl}/usage`, { headers: { cookie } });
    const downFor = Date.now() - stopAt;
    cluster = await startCluster();
    const restartedAt = Date.now();

    // Recovery: the same process answers 200 again, by itself.
    let recoveredMs = -1;
    while (Date.now() - restartedAt < 30_000) {
      const again = await dashboardProbes();
      if (again.every((p) => p.status === 200)) {
        recoveredMs = Date.now() - restartedAt;
        break;
      }
      await sleep(250);
    }
    const stats = await clients;
    const t = await rollupTotals(dbUrl);
    const stored = new Set(t.keys);
    const lost = [...stats.ackIds].filter((id) => !stored.has(id));

    const summary = {
      stopMs, downForMs: downFor, recoveredMs, samePid: app.child.pid === pid && app.child.exitCode === null,
      down: down.map((p) => `${p.what}: ${p.status} in ${p.ms} ms`), page: `${pageDown.what}: ${pageDown.status} in ${pageDown.ms} ms`,
      ingest: { batches: batches.length, statuses: stats.statuses, acknowledgedEvents: stats.ackIds.size, stored: t.keys.length, duplicates: t.keys.length - stored.size, lost: lost.length },
    };
    console.log(`[reliability] db-restart: ${JSON.stringify(summary, null, 1)}`);

    for (const p of down) {
      expect(typeof p.status === "number" ? p.status : 0, `${p.what} while down: ${p.status} ${p.body.slice(0, 300)}`).toBe(503);
      expect(p.ms).toBeLessThan(DOWN_TIMEOUT_MS);
      expect(p.contentType).toContain("application/json");
      const body = JSON.parse(p.body) as { error?: { message?: string }; reason?: string };
      expect(body.error?.message ?? body.reason, p.what).toBeTruthy();
      expect(p.body).not.toMatch(/\n\s+at |\\n\s+at /);
    }
    expect(recoveredMs).toBeGreaterThanOrEqual(0);
    expect(summary.samePid).toBe(true);
    expect(stats.acknowledged).toBe(batches.length);
    expect(lost).toEqual([]);
    expect(t.keys.length).toBe(stored.size);
    expect(t.hourly).toEqual(t.raw);
    expect(t.daily).toEqual(t.raw);
    expect(t.dailyCore).toEqual(t.raw);
    expect(t.hourlyCore).toEqual(t.raw);
    expect(t.dailyCustomer).toEqual(t.raw);
  }, 300_000);
});
