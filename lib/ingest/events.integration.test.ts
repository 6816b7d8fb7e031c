// POST /api/v1/events over real HTTP against the built app and PostgreSQL: contract, rejections, idempotency, limits.
import { once } from "node:events";
import net from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { db, pool } from "@/lib/db";
import { ErrorBodySchema } from "@/lib/api/openapi";
import { IngestResponseSchema, MAX_BODY_BYTES } from "./schemas";
import { event, expectRollupsMatchRebuild, startIngestApp, type IngestApp } from "./test-utils";

let app: IngestApp;
let supportId = 0;

beforeAll(async () => {
  // New York: daily buckets differ from UTC days, so bucketing mistakes show.
  app = await startIngestApp({ timeZone: "America/New_York" });
  const dept = await pool.query<{ id: number }>(
    "INSERT INTO departments (code, name, updated_at) VALUES ('SUPPORT', 'Support', now()), ('SALES', 'Sales', now()) RETURNING id",
  );
  supportId = dept.rows[0]!.id;
  await pool.query("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('support-bot', 'Support bot', $1, now())", [supportId]);
  await pool.query(
    `INSERT INTO model_prices (model, provider, currency, input_per_mtok, output_per_mtok, cache_read_per_mtok, effective_from)
     VALUES ('test-model', 'openai', 'USD', 2, 8, 0.5, '2025-01-01'), ('test-model', 'openai', 'USD', 1, 4, 0.25, '2026-11-01')`,
  );
});

afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

async function ok(res: Response) {
  expect(res.status).toBe(200);
  return IngestResponseSchema.parse(await res.json());
}
async function failure(res: Response, status: number) {
  expect(res.status).toBe(status);
  return ErrorBodySchema.parse(await res.json()).error;
}
const stored = (id: string) => pool.query("SELECT * FROM usage_events WHERE event_key = $1", [id]).then((r) => r.rows[0]);

describe("happy path", () => {
  test("stores every field of a full event exactly and keeps rollups equal to raw events", async () => {
    const body = await ok(
      await app.post({
        events: [
          event("full-1", {
            timestamp: "2026-11-20T03:30:00.123+00:00",
            quantity: "2.5",
            department: "SALES",
            customer: "acme",
            cost: { amount: "0.0000000001", currency: "USD" },
            model: "test-model",
            tokens: { input: 10, output: 20, cache_read: 30, cache_creation: 40, reasoning: 50 },
            task: { type: "case_resolution", handled_by: "agent", status: "completed", duration_seconds: 12.3456 },
            properties: { region: "eu", priority: 2, vip: true },
          }),
        ],
      }),
    );
    expect(body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const row = await stored("full-1");
    expect(row).toMatchObject({
      source: "test",
      type: "agent.action",
      quantity: "2.500000",
      reported_cost: "0.0000000001",
      computed_cost: null,
      cost: "0.0000000001",
      model: "test-model",
      input_tokens: "10",
      reasoning_tokens: "50",
      task_type: "case_resolution",
      handled_by: "agent",
      task_status: "completed",
      duration_seconds: "12.346",
      properties: { region: "eu", priority: 2, vip: true },
      late: false,
    });
    expect(row.timestamp.toISOString()).toBe("2026-11-20T03:30:00.123Z");
    const customer = await pool.query("SELECT id FROM customers WHERE key = 'acme'");
    expect(row.customer_id).toBe(customer.rows[0].id);
    // 03:30 UTC is the evening before in New York.
    const daily = await pool.query("SELECT day::text FROM usage_rollup_daily WHERE task_type = 'case_resolution'");
    expect(daily.rows).toEqual([{ day: "2026-11-19" }]);
    await expectRollupsMatchRebuild();
  });

  test("an unknown agent is created without a department; a known agent's department is the default", async () => {
    await ok(await app.post({ events: [event("agent-1", { agent: "brand-new-bot" }), event("agent-2")] }));
    const agent = await pool.query("SELECT id, name, department_id FROM agents WHERE key = 'brand-new-bot'");
    expect(agent.rows).toEqual([{ id: expect.any(Number), name: "brand-new-bot", department_id: null }]);
    expect((await stored("agent-1")).department_id).toBeNull();
    expect((await stored("agent-2")).department_id).toBe(supportId);
  });

  test("computes cost from the model price effective at the event's timestamp, keeping the price row", async () => {
    await ok(
      await app.post({
        events: [
          event("price-new", { model: "test-model", tokens: { input: 1_000_000, output: 500_000, cache_read: 2_000_000 } }),
          event("price-old", { timestamp: "2026-10-15T00:00:00Z", model: "test-model", tokens: { input: 1_000_000 } }),
          event("price-none", { model: "unpriced-model", tokens: { input: 1000 } }),
        ],
      }),
    );
    const prices = await pool.query<{ id: number; effective_from: Date }>("SELECT id, effective_from FROM model_prices ORDER BY effective_from");
    expect(await stored("price-new")).toMatchObject({ reported_cost: null, computed_cost: "3.5000000000", cost: "3.5000000000", computed_price_id: prices.rows[1]!.id });
    expect(await stored("price-old")).toMatchObject({ computed_cost: "2.0000000000", computed_price_id: prices.rows[0]!.id });
    expect(await stored("price-none")).toMatchObject({ computed_cost: null, computed_price_id: null, cost: "0.0000000000" });
  });

  test("events in a period with a finalized invoice are accepted and flagged late", async () => {
    await pool.query(
      `INSERT INTO invoices (period, period_start, period_end, status, updated_at)
       VALUES ('2026-09', '2026-09-01T04:00:00Z', '2026-10-01T04:00:00Z', 'finalized', now()),
              ('2026-08', '2026-08-01T04:00:00Z', '2026-09-01T04:00:00Z', 'draft', now())`,
    );
    const body = await ok(
      await app.post({
        events: [
          event("late-1", { timestamp: "2026-09-15T00:00:00Z" }),
          event("late-2", { timestamp: "2026-08-15T00:00:00Z" }),
          event("late-3", { timestamp: "2026-10-01T03:59:59Z" }),
        ],
      }),
    );
    expect(body.accepted).toBe(3);
    expect((await stored("late-1")).late).toBe(true);
    expect((await stored("late-2")).late).toBe(false);
    expect((await stored("late-3")).late).toBe(true);
  });

  test("gzip bodies are accepted", async () => {
    const events = Array.from({ length: 500 }, (_, i) => event(`gz-${i}`, { properties: { filler: "x".repeat(200) } }));
    expect(await ok(await app.post({ events }, { gzip: true }))).toEqual({ accepted: 500, duplicates: 0, rejected: [] });
  });
});

describe("idempotency", () => {
  test("duplicates within a batch keep the first valid occurrence", async () => {
    const body = await ok(
      await app.post({
        events: [event("dup-1", { quantity: 1 }), event("dup-1", { quantity: 2 }), event("dup-2", { department: "NOPE" }), event("dup-2", { quantity: 3 })],
      }),
    );
    expect(body).toMatchObject({ accepted: 2, duplicates: 1, rejected: [{ index: 2, id: "dup-2" }] });
    expect((await stored("dup-1")).quantity).toBe("1.000000");
    expect((await stored("dup-2")).quantity).toBe("3.000000");
  });

  test("re-sent events count as duplicates and change nothing", async () => {
    const events = [event("re-1", { cost: { amount: 1.5, currency: "USD" } }), event("re-2")];
    expect(await ok(await app.post({ events }))).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await ok(await app.post({ events: [...events, event("re-3")] }))).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
    const count = await pool.query("SELECT count(*)::int AS n FROM usage_events WHERE event_key LIKE 're-%'");
    expect(count.rows[0].n).toBe(3);
    await expectRollupsMatchRebuild();
  });

  test("ids are scoped by the key's source", async () => {
    const other = await createApiKey({ name: "other", scopes: ["ingest"], source: "other-source", mayCreateEntities: true });
    expect(await ok(await app.post({ events: [event("re-1")] }, { key: other.secret }))).toMatchObject({ accepted: 1, duplicates: 0 });
  });
});

describe("per-event rejections", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["missing id", { id: undefined }, /^id: required$/],
    ["long id", { id: "x".repeat(129) }, /^id: /],
    ["timestamp without offset", { timestamp: "2026-11-20T10:00:00" }, /^timestamp: must be an RFC 3339/],
    ["impossible date", { timestamp: "2026-02-30T10:00:00Z" }, /^timestamp: /],
    ["future timestamp", { timestamp: "2099-01-01T00:00:00Z" }, /^timestamp: more than 300 s in the future$/],
    ["missing agent", { agent: undefined }, /^agent: required$/],
    ["missing type", { type: undefined }, /^type: required$/],
    ["negative quantity", { quantity: -1 }, /^quantity: must not be negative$/],
    ["quantity precision", { quantity: "1.0000001" }, /^quantity: at most 6 decimal places$/],
    ["unknown department", { department: "NOPE" }, /^department: unknown department code 'NOPE'$/],
    ["unknown currency", { cost: { amount: "1", currency: "ABC" } }, /^cost\.currency: 'ABC' is not an active ISO 4217 currency code$/],
    ["cost not a decimal", { cost: { amount: "1e3", currency: "USD" } }, /^cost\.amount: must be a decimal number/],
    ["cost too large", { cost: { amount: "12345678901", currency: "USD" } }, /^cost\.amount: must be at most 9999999999\.9999999999$/],
    ["cost precision", { cost: { amount: 0.1 + 0.2, currency: "USD" } }, /^cost\.amount: at most 10 decimal places$/],
    ["negative tokens", { tokens: { input: -5 } }, /^tokens\.input: /],
    ["fractional tokens", { tokens: { output: 1.5 } }, /^tokens\.output: /],
    ["unknown token class", { tokens: { audio: 5 } }, /^tokens\.audio: unknown field$/],
    ["bad task status", { task: { type: "t", status: "done" } }, /^task\.status: /],
    ["nested property", { properties: { a: { b: 1 } } }, /^properties\.a: /],
    ["too many properties", { properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])) }, /^properties: at most 50 keys$/],
    ["NUL in a string", { type: "a\u0000b" }, /^type: /],
    ["unknown field", { colour: "red" }, /^colour: unknown field$/],
  ];
  test.each(cases)("%s", async (name, patch, message) => {
    const id = `rej-${name.replace(/\W/g, "-")}`;
    const bad = Object.fromEntries(Object.entries({ ...event(id), ...patch }).filter(([, v]) => v !== undefined));
    const body = await ok(await app.post({ events: [event(`${id}-ok`), bad] }));
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ index: 1, id: typeof bad.id === "string" ? bad.id.slice(0, 128) : null, errors: [expect.stringMatching(message)] }]);
    expect(await stored(String(bad.id))).toBeUndefined();
  });
  test("non-object events are rejected with a null id", async () => {
    const body = await ok(await app.post({ events: [42, null, "x"] }));
    expect(body).toMatchObject({ accepted: 0, rejected: [{ index: 0, id: null }, { index: 1, id: null }, { index: 2, id: null }] });
  });
});

describe("request-level errors", () => {
  test("400 for malformed JSON and envelopes, naming the problem", async () => {
    expect((await failure(await app.post(null, { raw: '{"events": [' }), 400)).message).toMatch(/not valid JSON/);
    expect((await failure(await app.post({ events: [] }), 400)).message).toMatch(/events: /);
    expect((await failure(await app.post({ event: [] }), 400)).message).toMatch(/events/);
    expect((await failure(await app.post([event("x")]), 400)).message).toMatch(/Invalid request body/);
    expect((await failure(await app.post({ events: Array.from({ length: 10_001 }, () => 1) }), 400)).message).toMatch(/events: /);
    expect((await failure(await app.post(null, { raw: Buffer.from([0x7b, 0xff, 0x7d]) }), 400)).message).toMatch(/not valid JSON/);
    expect((await failure(await app.post(null, { raw: "not gzip", headers: { "content-encoding": "gzip" } }), 400)).message).toMatch(/gzip/);
  });

  test("404 in the API's JSON error shape for a path no endpoint serves (e.g. a typo)", async () => {
    for (const [method, path] of [["POST", "/api/v1/event"], ["GET", "/api/v2/usage"], ["DELETE", "/api/anything"]] as const) {
      const res = await fetch(`${app.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${app.key}` } });
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await failure(res, 404)).toEqual({ code: "not_found", message: `No API endpoint at ${path}; the API is described at /api/v1/openapi.json` });
    }
  });

  test("413 for bodies over 5 MB, with or without Content-Length, and for gzip bombs", async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    expect((await failure(await app.post(null, { raw: big }), 413)).code).toBe("payload_too_large");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 6; i++) controller.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
        controller.close();
      },
    });
    const res = await fetch(`${app.baseUrl}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${app.key}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await failure(res, 413);
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    await failure(await app.post(null, { raw: bomb, headers: { "content-encoding": "gzip" } }), 413);
  });

  test("after an early 413 the connection reads the rest of the upload and answers the next request on it", async () => {
    // The 413 for a declared length comes before the body is read; the client may go on sending it (as fetch does).
    const socket = net.connect(Number(new URL(app.baseUrl).port), "127.0.0.1");
    await once(socket, "connect");
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
    const answers = async (n: number) => {
      const deadline = Date.now() + 20_000;
      while ((received.match(/^HTTP\/1\.1 \d+/gm) ?? []).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return received.match(/^HTTP\/1\.1 \d+/gm) ?? [];
    };
    const length = MAX_BODY_BYTES + 1;
    socket.write(`POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${app.key}\r\nContent-Length: ${length}\r\n\r\n`);
    socket.write(Buffer.alloc(64 * 1024, 0x20));
    expect(await answers(1)).toEqual(["HTTP/1.1 413"]);
    // More than the kernel's socket buffers hold: it gets through only if the server keeps reading.
    socket.write(Buffer.alloc(length - 64 * 1024, 0x20));
    socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    expect(await answers(2)).toEqual(["HTTP/1.1 413", "HTTP/1.1 200"]);
    socket.destroy();
  });

  test("415 for other content types and encodings", async () => {
    await failure(await app.post({ events: [event("ct")] }, { headers: { "content-type": "text/plain" } }), 415);
    await failure(await app.post({ events: [event("ct")] }, { headers: { "content-type": "application/x-www-form-urlencoded" } }), 415);
    await failure(await app.post({ events: [event("ct")] }, { headers: { "content-encoding": "br" } }), 415);
    expect(await stored("ct")).toBeUndefined();
  });

  test("401 without a key, with an unknown key or a revoked key; 403 without the ingest scope", async () => {
    await failure(await app.post({ events: [event("auth")] }, { key: null }), 401);
    await failure(await app.post({ events: [event("auth")] }, { key: "al_not-a-real-key" }), 401);
    const revoked = await createApiKey({ name: "revoked", scopes: ["ingest"] });
    await db.apiKey.update({ where: { id: revoked.key.id }, data: { revokedAt: new Date() } });
    await failure(await app.post({ events: [event("auth")] }, { key: revoked.secret }), 401);
    const readOnly = await createApiKey({ name: "read-only", scopes: ["read"] });
    expect((await failure(await app.post({ events: [event("auth")] }, { key: readOnly.secret }), 403)).message).toMatch(/ingest/);
    expect(await stored("auth")).toBeUndefined();
  });

  test("429 with Retry-After once a key exceeds its per-minute limit", async () => {
    const limited = await createApiKey({ name: "limited", scopes: ["ingest"], rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) await ok(await app.post({ events: [event(`rl-${i}`)] }, { key: limited.secret }));
    const res = await app.post({ events: [event("rl-3")] }, { key: limited.secret });
    await failure(res, 429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await stored("rl-3")).toBeUndefined();
    // Other keys are unaffected.
    await ok(await app.post({ events: [event("rl-other")] }));
  });
});

test("GET /api/v1/openapi.json documents the ingestion contract", async () => {
  const res = await fetch(`${app.baseUrl}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths["/api/v1/events"].post.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403", "413", "415", "429"]));
  expect(doc.components.schemas.Event.required).toEqual(["id", "timestamp", "agent", "type"]);
});
