// Concurrent clients sending overlapping batches (shared ids, also repeated inside batches) over real HTTP:
// every id is stored exactly once and the rollups equal the raw events, row for row.
import Decimal from "decimal.js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { db, pool } from "@/lib/db";
import { IngestResponseSchema } from "./schemas";
import { expectRollupsMatchRebuild, startIngestApp, type IngestApp } from "./test-utils";

let app: IngestApp;

beforeAll(async () => {
  app = await startIngestApp({ timeZone: "Asia/Kolkata" });
});

afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An event's content depends only on its id, so every copy of an id is the same event. */
function eventFor(n: number) {
  return {
    id: `c-${n}`,
    timestamp: new Date(Date.parse("2026-11-01T00:00:00Z") + (n % 97) * 3_600_000 + n).toISOString(),
    agent: `agent-${n % 7}`,
    type: n % 3 ? "llm.call" : "agent.action",
    quantity: (n % 5) + 1,
    ...(n % 4 ? { customer: `cust-${n % 3}` } : {}),
    cost: { amount: `0.${String(n).padStart(6, "0")}`, currency: "USD" },
    tokens: { input: n, output: n % 100 },
  };
}

test("overlapping concurrent batches store each id once and keep rollups exact", async () => {
  const CLIENTS = 4;
  const BATCHES = 6;
  const SIZE = 400;
  const IDS = 4000;
  const sent: number[][][] = Array.from({ length: CLIENTS }, (_, c) => {
    const random = mulberry32(c + 1);
    return Array.from({ length: BATCHES }, () => Array.from({ length: SIZE }, () => Math.floor(random() * IDS)));
  });
  const responses = await Promise.all(
    sent.map(async (batches) => {
      const results = [];
      for (const ids of batches) {
        const res = await app.post({ events: ids.map(eventFor) });
        expect(res.status).toBe(200);
        results.push(IngestResponseSchema.parse(await res.json()));
      }
      return results;
    }),
  );
  const all = responses.flat();
  const distinct = new Set(sent.flat(2));
  expect(all.every((r) => r.rejected.length === 0)).toBe(true);
  expect(all.reduce((n, r) => n + r.accepted, 0)).toBe(distinct.size);
  expect(all.reduce((n, r) => n + r.accepted + r.duplicates, 0)).toBe(CLIENTS * BATCHES * SIZE);

  const raw = await pool.query<{ n: number; ids: number; cost: string }>(
    "SELECT count(*)::int AS n, count(DISTINCT event_key)::int AS ids, sum(cost)::text AS cost FROM usage_events",
  );
  const expectedCost = [...distinct].reduce((sum, n) => sum.plus(eventFor(n).cost.amount), new Decimal(0));
  expect(raw.rows[0]).toEqual({ n: distinct.size, ids: distinct.size, cost: expectedCost.toFixed(10) });
  await expectRollupsMatchRebuild();
});
