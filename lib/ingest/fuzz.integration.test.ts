// Property-based fuzzing of POST /api/v1/events over real HTTP: whatever a client sends, the answer is never a 5xx,
// a 200 accounts for every event, and exactly the accepted events are written (rollups stay equal to raw events).
import fc from "fast-check";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { db, pool } from "@/lib/db";
import { IngestResponseSchema } from "./schemas";
import { startIngestApp, totals, type IngestApp } from "./test-utils";

let app: IngestApp;

beforeAll(async () => {
  app = await startIngestApp({ timeZone: "America/Los_Angeles" });
  await pool.query("INSERT INTO departments (code, name, updated_at) VALUES ('SUPPORT', 'Support', now())");
});

afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

// Strings PostgreSQL and JSON handling find awkward: NUL, lone surrogates, long, quotes, SQL-ish text.
const nasty = fc.constantFrom("", "\u0000", "\ud800", "a\udc00b", "x".repeat(2000), "'; DROP TABLE usage_events; --", '"\\', "😀", "NaN", "-0", "1e400");
const anyString = fc.oneof(fc.string(), fc.string({ unit: "binary" }), nasty);
const anyValue = fc.oneof(anyString, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));

const validEvent = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 12 }),
    timestamp: fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date(), noInvalidDate: true }).map((d) => d.toISOString()),
    agent: fc.constantFrom("a1", "a2", "ünïcödé-agent"),
    type: fc.constantFrom("llm.call", "agent.action"),
    quantity: fc.oneof(fc.nat(1000), fc.constantFrom("0.5", "123.456789")),
    department: fc.constantFrom("SUPPORT"),
    customer: fc.constantFrom("c1", "c2"),
    cost: fc.record({ amount: fc.constantFrom("0.01", "1", 0.25), currency: fc.constant("USD") }),
    model: fc.constantFrom("gpt-5", "m"),
    tokens: fc.record({ input: fc.nat(), output: fc.nat() }, { requiredKeys: [] }),
    task: fc.record({ type: fc.constant("t"), handled_by: fc.constantFrom("agent", "human"), duration_seconds: fc.double({ min: 0, max: 1e6, noNaN: true }) }, { requiredKeys: ["type"] }),
    properties: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()), { maxKeys: 5 }),
  },
  { requiredKeys: ["id", "timestamp", "agent", "type"] },
);

/** A valid event with one field replaced by anything, removed, or an unknown field added. */
const mutatedEvent = fc
  .tuple(validEvent, fc.constantFrom("id", "timestamp", "agent", "type", "quantity", "department", "customer", "cost", "model", "tokens", "task", "properties", "extra"), anyValue, fc.boolean())
  .map(([event, field, value, remove]) => {
    const copy: Record<string, unknown> = { ...event };
    if (remove) delete copy[field];
    else copy[field] = value;
    return copy;
  });

const body = fc.oneof(
  { weight: 6, arbitrary: fc.record({ events: fc.array(fc.oneof(validEvent, mutatedEvent, anyValue), { minLength: 1, maxLength: 30 }) }) },
  { weight: 1, arbitrary: anyValue },
  { weight: 1, arbitrary: fc.record({ events: anyValue }) },
);

test("no input yields a 5xx; exactly the accepted events are written", async () => {
  await fc.assert(
    fc.asyncProperty(body, fc.boolean(), async (payload, gzip) => {
      const before = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events");
      const res = await app.post(payload, { gzip });
      expect([200, 400]).toContain(res.status);
      const after = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events");
      if (res.status === 200) {
        const result = IngestResponseSchema.parse(await res.json());
        const events = (payload as { events: unknown[] }).events;
        expect(result.accepted + result.duplicates + result.rejected.length).toBe(events.length);
        expect(after.rows[0]!.n - before.rows[0]!.n).toBe(result.accepted);
      } else {
        await res.body?.cancel();
        expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
      }
    }),
    { numRuns: propertyRuns(150), seed: 20261126 },
  );
  const t = await totals();
  expect(t.hourly).toEqual(t.raw);
  expect(t.daily).toEqual(t.raw);
  expect(t.dailyCore).toEqual(t.raw);
  expect(t.hourlyCore).toEqual(t.raw);
  expect(t.dailyCustomer).toEqual(t.raw);
}, 120_000);
