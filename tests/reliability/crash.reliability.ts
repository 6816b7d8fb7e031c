// Crash during ingestion: concurrent clients send 1,000-event batches (with overlapping duplicates) while the
// app is SIGKILLed at progress points (after K acknowledged batches, batches of other clients in flight) and restarted; clients retry until acknowledged. Then: every event
// stored exactly once, rollups == raw totals.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { expectRollupsMatchRebuild, totals } from "@/lib/ingest/test-utils";
import { root } from "@/scripts/lib/common";
import { findSecrets, makeBatches, mulberry32, runClients, serverOutput, sleep, spawnApp, stopApp, NEXTAUTH_SECRET, type App } from "./helpers";

const BATCHES = Number(process.env.RELIABILITY_BATCHES ?? 80);
const KILLS = Number(process.env.RELIABILITY_KILLS ?? 5);
const CLIENTS = 4;
const OVERLAP = 100;

let app: App;
let ingestKey: string;
let readKey: string;

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Crash Org', 'USD', 'UTC', now())");
  ingestKey = (await createApiKey({ name: "crash", scopes: ["ingest"], source: "crash", rateLimitPerMinute: 1_000_000, mayCreateEntities: true, mayWriteFinalized: true })).secret;
  readKey = (await createApiKey({ name: "read", scopes: ["read"], source: "crash-read", rateLimitPerMinute: 1_000_000, mayCreateEntities: true, mayWriteFinalized: true })).secret;
  app = await spawnApp({ databaseUrl: process.env.DATABASE_URL!, label: "crash" });
});

afterAll(async () => {
  if (app) await stopApp(app);
  // Keys are stored as sha256 hex of the secret, never the secret itself.
  const keys = await pool.query<{ hash: string }>("SELECT hash FROM api_keys");
  for (const { hash } of keys.rows) {
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(ingestKey);
  }
  expect(findSecrets(serverOutput.join(""), { ingestKey, readKey, NEXTAUTH_SECRET })).toEqual([]);
});

describe("crash during ingestion", () => {
  it("loses nothing and duplicates nothing across SIGKILLs of the app", async () => {
    const batches = makeBatches(BATCHES, 1000, OVERLAP);
    const unique = new Map<string, { cost: string; quantity: string }>();
    let sent = 0;
    for (const b of batches) for (const e of b.events) {
      sent++;
      unique.set(e.id as string, { cost: (e.cost as { amount: string }).amount, quantity: e.quantity as string });
    }

    // Kills at progress points, not at moments: the k-th kill comes once k/(KILLS+1) of the batches are
    // acknowledged, after a small random delay while the other clients' batches are in flight. New batches wait
    // until the app is back, so every kill happens on a fast machine as on a slow one (the clock-driven version
    // once finished ingesting before its third kill).
    const random = mulberry32(99);
    let baseUrl = app.baseUrl;
    const kills: { atMs: number; afterAcks: number; downMs: number }[] = [];
    const t0 = Date.now();
    let killerError: Error | undefined;
    const targets = Array.from({ length: KILLS }, (_, k) => Math.floor(((k + 1) * BATCHES) / (KILLS + 1)));
    let gate: Promise<void> | undefined;
    const killAt = async (afterAcks: number) => {
      await sleep(random() * 150);
      const at = Date.now();
      app.child.kill("SIGKILL");
      await app.exited;
      app = await spawnApp({ databaseUrl: process.env.DATABASE_URL!, port: app.port, label: "crash" });
      baseUrl = app.baseUrl;
      kills.push({ atMs: at - t0, afterAcks, downMs: Date.now() - at });
    };
    const onAck = (acknowledged: number) => {
      if (gate || targets[0] === undefined || acknowledged < targets[0]) return;
      targets.shift();
      gate = killAt(acknowledged)
        .catch((error: Error) => {
          killerError = error;
        })
        .finally(() => (gate = undefined));
    };
    const stats = await runClients({ baseUrl: () => baseUrl, key: ingestKey, batches, clients: CLIENTS, abort: () => killerError, onAck, beforeBatch: async () => gate });
    await gate;
    const elapsed = Date.now() - t0;

    const stored = await pool.query<{ event_key: string; quantity: string; cost: string }>(
      "SELECT event_key, trim_scale(quantity)::text AS quantity, trim_scale(cost)::text AS cost FROM usage_events WHERE source = 'crash'",
    );
    const storedKeys = new Map(stored.rows.map((r) => [r.event_key, r]));
    const duplicates = stored.rowCount! - storedKeys.size;
    const lost = [...stats.ackIds].filter((id) => !storedKeys.has(id));
    const unexpected = [...storedKeys.keys()].filter((id) => !unique.has(id));
    const wrongValues = [...unique].filter(([id, v]) => {
      const s = storedKeys.get(id);
      return s && (Number(s.cost) !== Number(v.cost) || Number(s.quantity) !== Number(v.quantity));
    });
    const figures = {
      batches: BATCHES, clients: CLIENTS, kills: kills.length, killTimesMs: kills.map((k) => k.atMs), killAfterAcks: kills.map((k) => k.afterAcks), restartMs: kills.map((k) => k.downMs),
      sent, uniqueSent: unique.size, requests: stats.requests, retries: stats.failures, statuses: stats.statuses,
      acknowledgedEvents: stats.ackIds.size, stored: storedKeys.size, duplicates, lost: lost.length, elapsedMs: elapsed,
    };
    console.log(`[reliability] crash: ${JSON.stringify(figures)}`);
    fs.writeFileSync(path.join(root, ".data/reliability-crash.json"), JSON.stringify(figures, null, 2) + "\n");

    expect(killerError).toBeUndefined();
    expect(kills.length).toBe(KILLS);
    expect(stats.acknowledged).toBe(BATCHES);
    expect(duplicates).toBe(0);
    expect(lost).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(wrongValues).toEqual([]);
    expect(storedKeys.size).toBe(unique.size);
    await expectRollupsMatchRebuild();
    const t = await totals();
    expect(t.raw.events).toBe(String(unique.size));
  }, 600_000);
});
