// The rollup tail and its fold: every reader's view (folded + tail) equals the raw events before, during and after a
// fold; the fold empties the tail into rows equal to a full rebuild; one fold runs at a time.
import { afterAll, beforeAll, expect, test } from "vitest";
import { disconnectDb, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { expectRollupsMatchRebuild, totals } from "@/lib/ingest/test-utils";
import { ingest } from "@/lib/recompute/test-utils";
import { seedBasics } from "@/tests/helpers/db";
import { foldAll, foldForAMinute, foldRollupTail, tailRows } from "./fold";
import { FOLD_SCHEDULE } from "./fold-schedule";

const event = (i: number) => ({
  id: `fold-${i}`,
  // Spread over 3 days and every hour, across 4 agents, 3 customers and two providers.
  timestamp: new Date(Date.UTC(2026, 10, 20) + (i % 72) * 3_600_000 + i * 1_000).toISOString(),
  agent: `agent-${i % 4}`,
  type: i % 2 ? "llm.call" : "agent.action",
  ...(i % 3 ? { customer: `customer-${i % 3}` } : {}),
  ...(i % 2 ? { model: "m", tokens: { input: 10 + i, output: i }, cost: { amount: `0.${String(i).padStart(4, "0")}`, currency: "USD" } } : { quantity: i % 5 }),
  properties: { provider: i % 4 < 2 ? "openai" : "anthropic" },
});

const expectViewsEqualRaw = async () => {
  const t = await totals();
  for (const rollup of [t.hourly, t.daily, t.dailyCore, t.hourlyCore, t.dailyCustomer]) expect(rollup).toEqual(t.raw);
};

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await pool.query("UPDATE organizations SET time_zone = 'Asia/Kolkata' WHERE id = 1");
});

afterAll(disconnectDb);

test("ingestion appends to the tail; the views count it; a fold moves it and equals a rebuild", async () => {
  for (let b = 0; b < 4; b++) expect(await ingest("test", Array.from({ length: 50 }, (_, i) => event(b * 50 + i)))).toBe(50);
  expect(await tailRows()).toBeGreaterThan(0);
  const folded = (await pool.query<{ n: string }>("SELECT count(*) AS n FROM usage_rollup_hourly_folded")).rows[0]!.n;
  expect(folded).toBe("0");
  await expectViewsEqualRaw();
  await expectRollupsMatchRebuild();
  expect(await tailRows()).toBe(0);
});

test("a reader sees every event once while a fold is open, committed or rolled back", async () => {
  expect(await ingest("test", Array.from({ length: 60 }, (_, i) => event(1_000 + i)))).toBe(60);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const open = await foldRollupTail(10_000, client);
    expect(open).toMatchObject({ locked: true, more: false });
    expect(open.rows).toBeGreaterThan(0);
    // Another fold waits for nothing and does nothing while this one holds the lock.
    expect(await foldRollupTail()).toEqual({ locked: false, rows: 0, more: false });
    await expectViewsEqualRaw();
    await client.query("ROLLBACK");
    await expectViewsEqualRaw();
    expect(await tailRows()).toBe(open.rows);
    await client.query("BEGIN");
    await foldRollupTail(10_000, client);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
  expect(await tailRows()).toBe(0);
  await expectViewsEqualRaw();
});

test("a partial fold leaves the rest in the tail, and the totals stay exact", async () => {
  expect(await ingest("test", Array.from({ length: 80 }, (_, i) => event(2_000 + i)))).toBe(80);
  const before = await tailRows();
  const part = await foldRollupTail(7);
  expect(part).toEqual({ locked: true, rows: 7, more: true });
  expect(await tailRows()).toBe(before - 7);
  await expectViewsEqualRaw();
  expect(await foldAll()).toBe(before - 7);
  await expectRollupsMatchRebuild();
});

test("the fold job's minute ends as soon as its worker stops, having folded what was there", async () => {
  expect(await ingest("test", Array.from({ length: 30 }, (_, i) => event(3_000 + i)))).toBe(30);
  const pending = await tailRows();
  const stop = new AbortController();
  const started = Date.now();
  const run = foldForAMinute(stop.signal, { ...FOLD_SCHEDULE, intervalMs: 50 });
  setTimeout(() => stop.abort(), 300);
  expect(await run).toBe(pending);
  // Well before the minute it would otherwise run.
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(await tailRows()).toBe(0);
  await expectViewsEqualRaw();
});
