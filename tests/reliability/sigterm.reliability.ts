// Graceful shutdown: SIGTERM to the server (scripts/serve.mjs) while 1,000-event batches are in flight. Like `next start`, it
// closes the listener, lets in-flight requests finish, then exits 143. Acknowledged batches must be
// stored, refused ones not at all (each batch is one statement), and nothing answers 5xx.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { expectRollupsMatchRebuild } from "@/lib/ingest/test-utils";
import { findSecrets, makeBatches, serverOutput, sleep, spawnApp, stopApp, NEXTAUTH_SECRET, type App } from "./helpers";

let app: App;
let key: string;

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Term Org', 'USD', 'UTC', now())");
  key = (await createApiKey({ name: "term", scopes: ["ingest"], source: "term", rateLimitPerMinute: 1_000_000, mayCreateEntities: true, mayWriteFinalized: true })).secret;
  app = await spawnApp({ databaseUrl: process.env.DATABASE_URL!, label: "sigterm" });
});

afterAll(async () => {
  if (app) await stopApp(app, "SIGKILL");
  expect(findSecrets(serverOutput.join(""), { key, NEXTAUTH_SECRET })).toEqual([]);
});

describe("graceful shutdown", () => {
  it("finishes in-flight batches on SIGTERM, then exits", async () => {
    // Warm the route, so the batches below are really in flight when the signal arrives.
    const warm = makeBatches(1, 10, 0, 1, "warm")[0]!;
    await fetch(`${app.baseUrl}/api/v1/events`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ events: warm.events }) });
    const batches = makeBatches(8, 1000, 0, 3, "t");
    const results = batches.map((b) =>
      fetch(`${app.baseUrl}/api/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ events: b.events }),
        signal: AbortSignal.timeout(30_000),
      }).then(
        async (res) => ({ status: res.status, body: (await res.json().catch(() => null)) as { accepted?: number } | null }),
        (error: Error) => ({ status: error.name, body: null }),
      ),
    );
    await sleep(150);
    const t0 = Date.now();
    app.child.kill("SIGTERM");
    await sleep(300);
    const late = await fetch(`${app.baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, (e: Error) => e.name);
    const outcome = await Promise.all(results);
    const exit = await app.exited;
    const exitMs = Date.now() - t0;

    const stored = await pool.query<{ batch: string; n: number }>(
      "SELECT split_part(event_key, '-', 2) AS batch, count(*)::int AS n FROM usage_events WHERE source = 'term' AND event_key LIKE 't-%' GROUP BY 1",
    );
    const perBatch = new Map(stored.rows.map((r) => [Number(r.batch), r.n]));
    const summary = {
      inFlight: batches.length, statuses: outcome.map((o) => o.status), acknowledged: outcome.filter((o) => o.status === 200).length,
      storedBatches: perBatch.size, exit, exitMs, requestAfterSigterm: late,
    };
    console.log(`[reliability] sigterm: ${JSON.stringify(summary)}`);
    outcome.forEach((o, i) => {
      if (o.status === 200) expect(perBatch.get(i), `acknowledged batch ${i}`).toBe(1000);
      expect([0, 1000], `batch ${i} is all or nothing`).toContain(perBatch.get(i) ?? 0);
      expect(typeof o.status === "number" ? o.status : 0, `batch ${i}: no 5xx on shutdown`).not.toBeGreaterThanOrEqual(500);
    });
    // Requests the server had accepted finish; one whose connection came after the listener closed is refused
    // (a connection error the client retries), never a 5xx, and stores nothing.
    expect(summary.acknowledged).toBeGreaterThan(0);
    expect(perBatch.size).toBe(summary.acknowledged);
    for (const o of outcome) expect([200, "TypeError"]).toContain(o.status);
    expect(exit.code === 143 || exit.signal === "SIGTERM").toBe(true);
    expect(exitMs).toBeLessThan(15_000);
    await expectRollupsMatchRebuild();
  }, 120_000);
});
