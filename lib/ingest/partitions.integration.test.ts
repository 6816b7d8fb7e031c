// Monthly partitions of usage_events over real HTTP ingestion: events on both sides of a UTC month boundary land
// in their month's partition (or the default partition, until ensureUsagePartitions() gives the month one), a
// partition created ahead receives events, an event key stays a duplicate forever (another month, another
// partition), and rollups and the agent drill-down equal the raw events throughout.
import { afterAll, beforeAll, expect, test } from "vitest";
import pg from "pg";
import { agentEvents } from "@/lib/analytics/agent";
import { agentEventsResponse } from "@/lib/analytics/schemas";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { ensureUsagePartitions } from "@/lib/partitions";
import { admin } from "@/lib/analytics/test-fixtures";
import { enableAppLogin } from "@/scripts/lib/app-role";
import { IngestResponseSchema } from "./schemas";
import { event, expectRollupsMatchRebuild, startIngestApp, type IngestApp } from "./test-utils";

let app: IngestApp;
// Far enough for an event in the fifth month ahead (the partition created ahead below).
const SKEW_DAYS = 200;

beforeAll(async () => {
  // A time zone west of UTC: a local day straddles the UTC month boundary, the partitions' boundary.
  app = await startIngestApp({ timeZone: "America/New_York", serverEnv: { INGEST_MAX_CLOCK_SKEW_SECONDS: String(SKEW_DAYS * 86_400) } });
  forgetOrgSettings();
});

afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

async function post(events: unknown[]) {
  const res = await app.post({ events });
  expect(res.status).toBe(200);
  return IngestResponseSchema.parse(await res.json());
}

/** Partition each stored event (by key) sits in. */
async function partitions(): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ key: string; part: string }>("SELECT event_key AS key, tableoid::regclass::text AS part FROM usage_events ORDER BY 1");
  return Object.fromEntries(rows.map((r) => [r.key, r.part]));
}

/** Every event has exactly one key row pointing at it, and no key row points at nothing. */
async function expectKeysMatchEvents() {
  const { rows } = await pool.query<{ events: number; keys: number; matched: number }>(
    `SELECT (SELECT count(*) FROM usage_events)::int AS events, (SELECT count(*) FROM usage_event_keys)::int AS keys,
            (SELECT count(*) FROM usage_event_keys k JOIN usage_events e
               ON e.id = k.event_id AND e.timestamp = k.timestamp AND e.source = k.source AND e.event_key = k.event_key)::int AS matched`,
  );
  expect(rows[0]!.keys).toBe(rows[0]!.events);
  expect(rows[0]!.matched).toBe(rows[0]!.events);
}

const monthName = (d: Date) => `usage_events_${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}`;

test("historic events park in the default partition, then move to their UTC month, and keep rollups and drill-down exact", async () => {
  // 2025 is before any partition the migration created (it creates the current month onwards).
  const boundary = [
    event("b-oct-last", { timestamp: "2025-10-31T23:59:59.999Z", cost: { amount: "1.25", currency: "USD" } }),
    event("b-nov-first", { timestamp: "2025-11-01T00:00:00.000Z", cost: { amount: "2.5", currency: "USD" } }),
    event("b-nov-last", { timestamp: "2025-11-30T23:30:00Z", cost: { amount: "0.125", currency: "USD" } }),
    event("b-dec-first", { timestamp: "2025-12-01T00:30:00Z", cost: { amount: "4", currency: "USD" } }),
  ];
  expect(await post(boundary)).toMatchObject({ accepted: 4, duplicates: 0 });
  expect(Object.values(await partitions())).toEqual(["usage_events_default", "usage_events_default", "usage_events_default", "usage_events_default"]);

  expect(await ensureUsagePartitions({ ownerUrl: env().DATABASE_URL })).toBeGreaterThanOrEqual(3);
  expect(await partitions()).toEqual({
    "b-dec-first": "usage_events_202512",
    "b-nov-first": "usage_events_202511",
    "b-nov-last": "usage_events_202511",
    "b-oct-last": "usage_events_202510",
  });
  const bounds = await pool.query<{ bound: string }>("SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE relname = 'usage_events_202511'");
  expect(bounds.rows[0]!.bound).toBe("FOR VALUES FROM ('2025-11-01 00:00:00+00') TO ('2025-12-01 00:00:00+00')");

  // Later events of those months go straight to their partitions, next to the moved ones.
  expect(await post([event("b-nov-mid", { timestamp: "2025-11-15T12:00:00Z", cost: { amount: "0.5", currency: "USD" } })])).toMatchObject({ accepted: 1 });
  expect((await partitions())["b-nov-mid"]).toBe("usage_events_202511");
  const defaultRows = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events_default");
  expect(defaultRows.rows[0]!.n).toBe(0);

  await expectKeysMatchEvents();
  await expectRollupsMatchRebuild();
  // New York's Oct 31 ends at Nov 1 04:00 UTC: its local day holds events of two partitions.
  const daily = await pool.query<{ day: string; events: string; cost: string }>(
    "SELECT day::text, sum(events)::text AS events, trim_scale(sum(cost))::text AS cost FROM usage_rollup_daily GROUP BY day ORDER BY day",
  );
  expect(daily.rows).toEqual([
    { day: "2025-10-31", events: "2", cost: "3.75" },
    { day: "2025-11-15", events: "1", cost: "0.5" },
    { day: "2025-11-30", events: "2", cost: "4.125" },
  ]);

  // The agent's event drill-down across the boundary: newest first, paged, every event once.
  const org = await orgSettings();
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = agentEventsResponse.parse(await agentEvents(admin, org, "support-bot", { from: "2025-10-31", to: "2025-11-30", limit: 2, cursor }));
    seen.push(...page.events.map((e) => e.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const raw = await pool.query<{ id: string }>("SELECT id::text FROM usage_events ORDER BY timestamp DESC, id DESC");
  expect(seen).toEqual(raw.rows.map((r) => r.id));
});

test("a key re-sent months later, with another timestamp and so another partition, is still a duplicate", async () => {
  const now = new Date();
  expect(await post([event("b-oct-last", { timestamp: now.toISOString(), cost: { amount: "99", currency: "USD" } })])).toMatchObject({ accepted: 0, duplicates: 1 });
  const stored = await pool.query<{ n: number; ts: Date; part: string }>(
    "SELECT count(*) OVER ()::int AS n, timestamp AS ts, tableoid::regclass::text AS part FROM usage_events WHERE event_key = 'b-oct-last'",
  );
  expect(stored.rows).toHaveLength(1);
  expect(stored.rows[0]!.ts.toISOString()).toBe("2025-10-31T23:59:59.999Z");
  expect(stored.rows[0]!.part).toBe("usage_events_202510");
  // Also within one batch next to new events, and for a key that only exists in the key table's history.
  expect(await post([event("b-dec-first", { timestamp: now.toISOString() }), event("b-new", { timestamp: now.toISOString() })])).toMatchObject({ accepted: 1, duplicates: 1 });
  expect((await partitions())["b-new"]).toBe(monthName(now));
  await expectKeysMatchEvents();
  await expectRollupsMatchRebuild();
});

test("a partition created ahead by ensureUsagePartitions() receives that month's events, and a second run creates nothing", async () => {
  const now = new Date();
  const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 5, 10, 12));
  expect(ahead.getTime() - now.getTime()).toBeLessThan(SKEW_DAYS * 86_400_000);
  const exists = async () => (await pool.query("SELECT 1 FROM pg_class WHERE relname = $1", [monthName(ahead)])).rowCount === 1;
  expect(await exists()).toBe(false);
  expect(await ensureUsagePartitions({ ownerUrl: env().DATABASE_URL, monthsAhead: 5 })).toBeGreaterThanOrEqual(1);
  expect(await exists()).toBe(true);
  expect(await ensureUsagePartitions({ ownerUrl: env().DATABASE_URL, monthsAhead: 5 })).toBe(0);

  expect(await post([event("b-ahead", { timestamp: ahead.toISOString(), cost: { amount: "7", currency: "USD" } })])).toMatchObject({ accepted: 1 });
  expect((await partitions())["b-ahead"]).toBe(monthName(ahead));
  await expectKeysMatchEvents();
  await expectRollupsMatchRebuild();
});

test("the app role cannot create partitions (no DDL): only the owner runs ensure_usage_partitions", async () => {
  const client = new pg.Client({ connectionString: await enableAppLogin(env().DATABASE_URL) });
  await client.connect();
  try {
    await expect(client.query("SELECT ensure_usage_partitions(12)")).rejects.toThrow(/permission denied/);
  } finally {
    await client.end();
  }
});

test("creating partitions while batches are ingested blocks no batch and keeps totals exact", async () => {
  const before = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events");
  const now = Date.now();
  const batches = Array.from({ length: 12 }, (_, b) =>
    Array.from({ length: 200 }, (_, i) => event(`live-${b}-${i}`, { timestamp: new Date(now - (b * 200 + i) * 100).toISOString(), cost: { amount: "0.01", currency: "USD" } })),
  );
  const [results, created] = await Promise.all([
    Promise.all(batches.map((events) => post(events))),
    (async () => {
      let n = 0;
      for (const months of [7, 8, 9]) n += await ensureUsagePartitions({ ownerUrl: env().DATABASE_URL, monthsAhead: months });
      return n;
    })(),
  ]);
  // Months 6 to 9 ahead (the test before created up to 5).
  expect(created).toBe(4);
  expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(2400);
  const after = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events");
  expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 2400);
  await expectKeysMatchEvents();
  await expectRollupsMatchRebuild();
});
