// Two app instances behind one address (a round-robin proxy in this process), as behind a load balancer:
// - concurrent clients ingest overlapping batches, each request going to the next instance: every event is stored
//   once, rollups equal the raw events, and both instances took a share of the load;
// - a key's per-minute rate limit holds across the instances (counted in PostgreSQL): a key allowed 10 requests
//   gets 10 acknowledged and the rest 429, not 10 per instance.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { expectRollupsMatchRebuild, totals } from "@/lib/ingest/test-utils";
import { makeBatches, runClients, spawnApp, stopApp, type App } from "./helpers";

const BATCHES = Number(process.env.RELIABILITY_BATCHES ?? 40);

let apps: App[] = [];
let proxy: http.Server;
let proxyUrl: string;
const served = [0, 0];

/** Forwards each request to the next instance in turn, body and headers as they came. */
function startProxy(): Promise<void> {
  let next = 0;
  proxy = http.createServer((req, res) => {
    const index = next++ % apps.length;
    served[index]!++;
    const target = new URL(apps[index]!.baseUrl);
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => proxy.listen(0, "127.0.0.1", () => {
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    resolve();
  }));
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Instances Org', 'USD', 'UTC', now())");
  apps = await Promise.all([0, 1].map((i) => spawnApp({ databaseUrl: process.env.DATABASE_URL!, label: `instances-${i}` })));
  await startProxy();
}, 120_000);

afterAll(async () => {
  proxy?.close();
  await Promise.all(apps.map((app) => stopApp(app)));
});

describe("two instances behind one address", () => {
  it("store every acknowledged event exactly once with exact rollups", async () => {
    const key = (await createApiKey({ name: "split", scopes: ["ingest"], source: "split", rateLimitPerMinute: 1_000_000, mayCreateEntities: true, mayWriteFinalized: true })).secret;
    const batches = makeBatches(BATCHES, 500, 50, 11, "i");
    const unique = new Set(batches.flatMap((b) => b.events.map((e) => e.id as string)));
    served.fill(0);
    const stats = await runClients({ baseUrl: () => proxyUrl, key, batches, clients: 4 });
    console.log(`[reliability] instances: ${JSON.stringify({ batches: BATCHES, served, requests: stats.requests, statuses: stats.statuses, unique: unique.size })}`);

    expect(stats.acknowledged).toBe(BATCHES);
    expect(Math.min(...served)).toBeGreaterThanOrEqual(Math.floor(BATCHES / 2) - 1);
    const stored = await pool.query<{ n: string; distinct: string }>("SELECT count(*) AS n, count(DISTINCT event_key) AS distinct FROM usage_events WHERE source = 'split'");
    expect(stored.rows[0]).toEqual({ n: String(unique.size), distinct: String(unique.size) });
    await expectRollupsMatchRebuild();
    expect((await totals()).raw.events).toBe(String(unique.size));
  }, 600_000);

  it("count a key's rate limit once across both instances", async () => {
    const key = (await createApiKey({ name: "limited", scopes: ["ingest"], source: "limited", rateLimitPerMinute: 10 })).secret;
    const statuses: number[] = [];
    served.fill(0);
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${proxyUrl}/api/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ events: [{ id: `limited-${i}`, timestamp: "2026-11-02T10:00:00Z", agent: "agent-0", type: "llm.call", quantity: "1" }] }),
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(served).toEqual([15, 15]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    const stored = await pool.query<{ n: string }>("SELECT count(*) AS n FROM usage_events WHERE source = 'limited'");
    expect(stored.rows[0]!.n).toBe("10");
  }, 120_000);
});
