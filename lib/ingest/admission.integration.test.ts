// Backpressure: past INGEST_TAIL_LIMIT_ROWS (the rollup tail the fold has not caught up with), every ingestion route
// answers 503 ingestion_backlog with Retry-After and stores nothing; once the fold empties the tail, the same batch
// is accepted, and the totals are exact.
import { afterAll, beforeAll, expect, test } from "vitest";
import type pg from "pg";
import { disconnectDb, pool } from "@/lib/db";
import { event, startIngestApp, totals, type IngestApp } from "@/lib/ingest/test-utils";
import { tailRows } from "@/lib/rollups/fold";

let app: IngestApp;
let foldLock: pg.PoolClient;

beforeAll(async () => {
  app = await startIngestApp({ serverEnv: { INGEST_TAIL_LIMIT_ROWS: "100" } });
  // The test holds the fold's lock, so the app's fold job cannot shorten the tail until the test lets it.
  foldLock = await pool.connect();
  await foldLock.query("SELECT pg_advisory_lock(hashtext('rollup.fold'))");
}, 60_000);

afterAll(async () => {
  foldLock?.release();
  await app?.stop();
  await disconnectDb();
});

const batch = (prefix: string) =>
  Array.from({ length: 150 }, (_, i) => event(`${prefix}-${i}`, { timestamp: new Date(Date.UTC(2026, 10, 18) + i * 3_600_000).toISOString(), agent: `agent-${i % 3}` }));
const storedEvents = async () => Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM usage_events")).rows[0]!.n);
const waitPastTheTailCache = () => new Promise((r) => setTimeout(r, 1_100));

test("past the tail limit, ingestion routes answer 503 ingestion_backlog and store nothing; after the fold they accept", async () => {
  expect((await app.post({ events: batch("first") })).status).toBe(200);
  expect(await tailRows()).toBeGreaterThan(100);
  await waitPastTheTailCache();

  const refused = await app.post({ events: batch("second") });
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).toBe("2");
  const body = (await refused.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("ingestion_backlog");
  expect(body.error.message).toMatch(/limit 100/);
  expect(await storedEvents()).toBe(150);

  // The other routes that store events go through the same admission.
  const headers = { "content-type": "application/json", authorization: `Bearer ${app.key}` };
  const cloud = await fetch(`${app.baseUrl}/api/v1/cloudevents`, { method: "POST", headers, body: JSON.stringify({ specversion: "1.0", id: "c1", source: "s", type: "agent.action", data: {} }) });
  expect(cloud.status).toBe(503);
  expect(((await cloud.json()) as { error: { code: string } }).error.code).toBe("ingestion_backlog");
  for (const signal of ["traces", "metrics"]) {
    const otlp = await fetch(`${app.baseUrl}/api/v1/otlp/v1/${signal}`, { method: "POST", headers, body: "{}" });
    expect(otlp.status).toBe(503);
  }
  expect(await storedEvents()).toBe(150);

  await foldLock.query("SELECT pg_advisory_unlock(hashtext('rollup.fold'))");
  const deadline = Date.now() + 30_000;
  while ((await tailRows()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await tailRows()).toBe(0);
  await waitPastTheTailCache();

  const accepted = await app.post({ events: batch("second") });
  expect(accepted.status).toBe(200);
  expect(((await accepted.json()) as { accepted: number }).accepted).toBe(150);
  expect(await storedEvents()).toBe(300);
  const t = await totals();
  for (const rollup of [t.hourly, t.daily, t.dailyCore, t.hourlyCore, t.dailyCustomer]) expect(rollup).toEqual(t.raw);
}, 90_000);
