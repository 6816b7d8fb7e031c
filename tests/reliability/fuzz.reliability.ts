// Hostile input: fast-check fuzzing of every API route in the authorization matrix (query parameters, path
// parameters, bodies, content types) as an admin session and as an API key. Every answer must be < 500; a 4xx
// must be JSON with an error message; a rejected request must not change any table's row count. Also the
// secrets scan: no seeded secret (keys, password, NEXTAUTH_SECRET) in the server's output, keys stored hashed.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiMatrix, type ApiEntry } from "@/tests/authorization/matrix";
import { callerHeaders, seedFixture, BAD_KEY, INGEST_KEY, PASSWORD, READ_KEY, type CallerHeaders } from "@/tests/authorization/fixture";
import { findSecrets, serverOutput, spawnApp, stopApp, NEXTAUTH_SECRET, type App } from "./helpers";

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

let app: App;
let headers: CallerHeaders;
let db: pg.Client;
let countSql: string;
const tally = { cases: 0, requests: 0, byStatus: {} as Record<string, number>, accepted2xx: 0 };

beforeAll(async () => {
  await seedFixture(process.env.DATABASE_URL!);
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  // rate_limits counts every request (a caller's first one adds its row): bookkeeping, not data a request changes.
  const tables = await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'rate_limits') ORDER BY 1");
  countSql = `SELECT ${tables.rows.map(({ t }) => `(SELECT count(*) FROM ${db.escapeIdentifier(t)}) AS ${db.escapeIdentifier(t)}`).join(", ")}`;
  app = await spawnApp({ databaseUrl: process.env.DATABASE_URL!, label: "fuzz" });
  headers = await callerHeaders(app.baseUrl);
});

afterAll(async () => {
  if (app) await stopApp(app);
  const keys = await db.query<{ hash: string }>("SELECT hash FROM api_keys");
  await db.end();
  console.log(`[reliability] fuzz: ${JSON.stringify(tally)}`);
  for (const { hash } of keys.rows) expect(hash).toMatch(/^[0-9a-f]{64}$/);
  expect(keys.rows.map((r) => r.hash)).not.toContain(INGEST_KEY);
  expect(findSecrets(serverOutput.join(""), { INGEST_KEY, READ_KEY, BAD_KEY, PASSWORD, NEXTAUTH_SECRET })).toEqual([]);
});

const counts = async () => JSON.stringify((await db.query(countSql)).rows[0]);

// ---- arbitraries -------------------------------------------------------------------------------------------
const injections = [
  "'; DROP TABLE usage_events; --", "1 OR 1=1", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)", "$$; DELETE FROM users; $$",
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{7*7}}", "${7*7}", "../../etc/passwd", "%00", "\u0000",
  "\uD800", "\uDFFF", "\u202Eevil", "\u200B", "𝕏𝕐", "Ω≈ç√", "a".repeat(100_000), "__proto__", "constructor", "prototype",
];
const badDates = ["2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31T24:00:00Z", "2026-11-01T10:00:00", "yesterday", "-1", "1e309", "2026-11-01/2026-11-30"];
const badNumbers = ["NaN", "Infinity", "-0", "-1", "1e309", "99999999999999999999999999", "0x10", "1.0000000000000001", "-99999999"];
const hostileString = fc.oneof(
  fc.constantFrom(...injections, ...badDates, ...badNumbers),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 12 }),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? "Invalid Date" : d.toISOString())),
);
const hostileNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, -1, -0.000001, 1e21, 2 ** 63),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => Number(n)),
);
const { value: hostileJson } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom("id", "name", "email", "events", "amount", "period", "customerId", "role", "__proto__", "scopes", "from", "to"), fc.string({ maxLength: 8 })), tie("value"), { maxKeys: 5 }),
  ),
}));
const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
/** A body: hostile JSON, an object of hostile fields, an ingest batch of hostile events, or raw bytes. */
const body = fc.oneof(
  hostileJson.map((v) => ({ raw: JSON.stringify(v) ?? "null", type: "application/json" })),
  fc.record({ events: fc.array(fc.dictionary(fc.constantFrom("id", "timestamp", "agent", "type", "quantity", "cost", "tokens", "properties", "task", "customer"), hostileJson, { maxKeys: 8 }), { minLength: 1, maxLength: 3 }) })
    .map((v) => ({ raw: JSON.stringify(v), type: "application/json" })),
  fc.constantFrom(
    { raw: deep(100_000), type: "application/json" },
    { raw: `{"a":${deep(5_000)}}`, type: "application/json" },
    { raw: "{not json", type: "application/json" },
    { raw: "", type: "application/json" },
    { raw: "<xml/>", type: "text/xml" },
    { raw: "a=1&b=2", type: "application/x-www-form-urlencoded" },
    { raw: JSON.stringify({ events: [{ id: "x".repeat(10_000), timestamp: "2026-11-01T00:00:00Z", agent: "a", type: "t", quantity: -5 }] }), type: "application/json" },
  ),
);
const queryParams = fc.dictionary(
  fc.oneof(fc.constantFrom("from", "to", "groupBy", "agent", "department", "customer", "period", "limit", "cursor", "model", "type", "q", "status", "compare", "top", "taskType"), fc.string({ maxLength: 6 })),
  hostileString,
  { maxKeys: 5 },
);
/** Sometimes a hostile value for the route's last dynamic segment ([id], [key], [code]...). */
const pathSegment = fc.option(hostileString.filter((s) => s.length > 0 && s.length < 2000), { freq: 2 });

function buildUrl(key: string, entry: ApiEntry, params: Record<string, string>, segment: string | null): string {
  const u = new URL(entry.path, app.baseUrl);
  const pattern = key.split(" ")[1]!.split("/");
  const idx = pattern.findLastIndex((p) => p.startsWith("["));
  if (segment !== null && idx > 0 && !pattern[idx]!.startsWith("[...")) {
    const parts = u.pathname.split("/");
    parts[idx] = encodeURIComponent(segment);
    u.pathname = parts.join("/");
  }
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

// ---- the property --------------------------------------------------------------------------------------------
const routes = Object.entries(apiMatrix)
  .filter(([key]) => !key.includes("/api/auth/"))
  .flatMap(([key, entries]) => entries.slice(0, 1).map((entry) => ({ method: key.split(" ")[0]!, key, entry })));

describe("hostile input", () => {
  it.each(routes)("$key", async ({ method, key, entry }) => {
    const apiKey = entry.expect.ingestKey < 400 || key.startsWith("POST /api/v1/imports") ? "ingestKey" : "readKey";
    for (const caller of ["admin", apiKey] as const) {
      await fc.assert(
        fc.asyncProperty(queryParams, pathSegment, body, async (params, segment, b) => {
          tally.cases++;
          const url = buildUrl(key, entry, method === "GET" ? params : {}, segment);
          const before = await counts();
          const res = await fetch(url, {
            method,
            headers: { ...headers[caller], ...(method === "GET" || method === "DELETE" ? {} : { "content-type": b.type }) },
            body: method === "GET" || method === "DELETE" ? undefined : b.raw,
            redirect: "manual",
            signal: AbortSignal.timeout(20_000),
          });
          tally.requests++;
          tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
          const text = await res.text();
          const where = `${caller} ${method} ${url.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, where).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get("content-type"), where).toContain("application/json");
            const json = JSON.parse(text) as { error?: { message?: unknown } };
            expect(typeof json.error?.message === "string" && json.error.message.length > 0, where).toBe(true);
            expect(await counts(), `row counts changed by a rejected request: ${where}`).toBe(before);
          } else if (method !== "GET") {
            tally.accepted2xx++;
          } else {
            expect(await counts(), `row counts changed by a GET: ${where}`).toBe(before);
          }
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261126), endOnFailure: true },
      );
    }
  }, 300_000);
});
