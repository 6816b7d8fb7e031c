// Resource-exhaustion fuzz over every read route: each GET in the authorization matrix (so a new route is covered
// once it has its matrix entry) gets generated query strings — huge and ancient ranges, huge and negative numbers,
// long strings, many and repeated parameters — as an admin session and as a read API key, over HTTP against the
// built app. Every answer must be < 500 (a 503 only as the documented query_timeout), no body may exceed the
// response cap, /api/health must answer 200 within 2 s throughout, and the server's RSS must stay below 1 GB.
// Used by tests/read-fuzz.integration.test.ts (a few runs, in `npm test`) and tests/reliability (the full count).
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RESPONSE_BYTES } from "@/lib/api/limits";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { callerHeaders, seedFixture, type CallerHeaders } from "@/tests/authorization/fixture";
import { apiMatrix } from "@/tests/authorization/matrix";
import { processTreeRssBytes } from "./app-server";

export type FuzzServer = { baseUrl: string; pid: number; stop(): Promise<void> };

const RSS_LIMIT = 1024 * 1024 * 1024;
const HEALTH_LIMIT_MS = 2_000;

/** 60 agents with a cost every day for six years: enough for top=50 series over 5 years of daily points. */
async function seedHistory(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    await pool.query(`INSERT INTO agents (key, name, updated_at) SELECT 'fuzz-' || i, 'Fuzz agent ' || i, now() FROM generate_series(1, 60) i`);
    await pool.query(`
      INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, cost, reported_cost, model, task_type, handled_by, task_status, duration_seconds)
      SELECT 'fuzz', a.id || '-' || d::date, d + interval '13 hours', 'llm.call', a.id, 0.5 + a.id % 7, 0.5 + a.id % 7, 'model-' || a.id % 5,
             'case_resolved', CASE WHEN a.id % 3 = 0 THEN 'human' ELSE 'agent' END, 'completed', 60
      FROM agents a CROSS JOIN generate_series(date '2020-12-01', date '2026-11-30', interval '1 day') d
      WHERE a.key LIKE 'fuzz-%'`);
    await rebuildRollups(pool);
  } finally {
    await pool.end();
  }
}

// ---- arbitraries ------------------------------------------------------------------------------------------------
const names = [
  "from", "to", "granularity", "groupBy", "top", "limit", "cursor", "period", "status", "customer", "agent", "department",
  "model", "type", "format", "before", "actor", "action", "entity", "entityId", "property:tenant", "fileName", "mapping",
];
const day = fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2999-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const value = fc.oneof(
  day,
  day.map((d) => d.slice(0, 7)),
  fc.constantFrom("1900-01-01", "1970-01-01", "0001-01-01", "9999-12-31", "2026-02-30", "1900-01", "2999-12", "0000-00", "1970-01-01T00:00:00Z"),
  fc.constantFrom("hour", "day", "week", "month", "agent", "department", "model", "customer", "type", "task_type", "none", "property:tenant", "csv", "pdf", "json", "open"),
  fc.integer().map(String),
  fc.constantFrom("0", "-1", "50", "51", "200", "2000", "10000", "1e6", "1e308", "-1e308", "99999999999999999999999", "NaN", "Infinity", "0x10", "1.5"),
  // Long values, but mostly under Node's 16 KB header limit (past it Node answers 431 before the app sees them).
  fc.integer({ min: 1, max: 6_000 }).map((n) => "a".repeat(n)),
  fc.integer({ min: 1, max: 600 }).map((n) => Array.from({ length: n }, (_, i) => `v${i}`).join(",")),
  fc.constantFrom("%00", "[]", "{}", "__proto__", "constructor", "'; SELECT pg_sleep(30); --", "\u0000", "\uD800", "a".repeat(2001)),
  fc.string({ maxLength: 20 }),
);
/** Pairs, so a name may repeat (`?top=1&top=50`); up to 30 of them; mostly the route's own parameter names. */
function queryFor(own: string[]) {
  const name = fc.oneof(
    ...(own.length ? [{ weight: 6, arbitrary: fc.constantFrom(...own) }] : []),
    { weight: 2, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  return fc.array(fc.tuple(name, value), { maxLength: 30 });
}

/** Query parameter names per path from the OpenAPI document ("/api/v1/agents/{key}" → ["from", ...]). */
async function documentedParams(baseUrl: string): Promise<Map<string, string[]>> {
  const doc = (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
  };
  return new Map(Object.entries(doc.paths).map(([path, item]) => [path, (item.get?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name)]));
}

/** Every GET the matrix lists (all of its example paths), but next-auth's own. */
export const readRoutes = Object.entries(apiMatrix)
  .filter(([key]) => key.startsWith("GET ") && !key.includes("/api/auth/"))
  .flatMap(([key, entries]) => entries.map((entry) => ({ key, path: entry.path, template: key.slice(4).replace(/\[([^\]]+)\]/g, "{$1}") })));

export function readFuzzSuite(opts: { runs: number; start: (env: Record<string, string>) => Promise<FuzzServer> }) {
  let server: FuzzServer;
  let headers: CallerHeaders;
  let params = new Map<string, string[]>();
  let monitoring = true;
  let monitors: Promise<void>[] = [];
  const health = { checks: 0, slowest: 0, failures: [] as string[] };
  const rss = { samples: 0, max: 0 };
  const tally: Record<string, number> = {};

  beforeAll(async () => {
    await seedFixture(process.env.DATABASE_URL!);
    await seedHistory(process.env.DATABASE_URL!);
    // The fuzz sends far more reads per minute than a person: lift the read limit for it.
    server = await opts.start({ READ_RATE_LIMIT_PER_MINUTE: "1000000" });
    headers = await callerHeaders(server.baseUrl);
    params = await documentedParams(server.baseUrl);
    monitors = [
      (async () => {
        while (monitoring) {
          const started = performance.now();
          try {
            const res = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(HEALTH_LIMIT_MS) });
            await res.arrayBuffer();
            if (res.status !== 200) health.failures.push(`status ${res.status}`);
          } catch (error) {
            health.failures.push((error as Error).message);
          }
          const ms = performance.now() - started;
          health.checks++;
          health.slowest = Math.max(health.slowest, ms);
          if (ms > HEALTH_LIMIT_MS) health.failures.push(`took ${Math.round(ms)} ms`);
          await new Promise((r) => setTimeout(r, 250));
        }
      })(),
      (async () => {
        while (monitoring) {
          rss.max = Math.max(rss.max, processTreeRssBytes(server.pid));
          rss.samples++;
          await new Promise((r) => setTimeout(r, 200));
        }
      })(),
    ];
  }, 180_000);

  afterAll(async () => {
    monitoring = false;
    await Promise.all(monitors);
    console.log(`[read fuzz] ${JSON.stringify({ statuses: tally, health, rssMaxMiB: Math.round(rss.max / 1048576) })}`);
    await server?.stop();
  });

  describe("resource exhaustion over every read route", () => {
    it("covers the dashboards' read routes, with their documented parameters", () => {
      for (const route of ["usage", "workload", "roi", "overview", "agents/[key]/events", "allocation", "exports/focus", "invoices", "audit-logs"]) {
        expect(readRoutes.map((r) => r.key)).toContain(`GET /api/v1/${route}`);
      }
      expect(params.get("/api/v1/usage")).toEqual(expect.arrayContaining(["from", "to", "granularity", "groupBy", "top"]));
    });

    it.each(readRoutes)("$key ($path)", async ({ path, template }) => {
      for (const caller of ["admin", "readKey"] as const) {
        await fc.assert(
          fc.asyncProperty(queryFor(params.get(template) ?? []), fc.boolean(), async (pairs, keepBase) => {
            const url = new URL(path, server.baseUrl);
            if (!keepBase) url.search = "";
            for (const [k, v] of pairs) url.searchParams.append(k, v);
            const res = await fetch(url, { headers: headers[caller], redirect: "manual", signal: AbortSignal.timeout(30_000) });
            const body = Buffer.from(await res.arrayBuffer());
            tally[res.status] = (tally[res.status] ?? 0) + 1;
            const where = `${caller} GET ${url.toString().slice(0, 300)} → ${res.status} ${body.subarray(0, 300).toString()}`;
            if (res.status === 503) expect(JSON.parse(body.toString()).error?.code, where).toBe("query_timeout");
            else expect(res.status, where).toBeLessThan(500);
            expect(body.length, `body of ${body.length} bytes: ${where}`).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
          }),
          { numRuns: opts.runs, seed: Number(process.env.FUZZ_SEED ?? 20261201), endOnFailure: true },
        );
      }
    }, 600_000);

    it("kept /api/health answering within 2 s and the server below 1 GB throughout", () => {
      expect(health.checks).toBeGreaterThan(0);
      expect(health.failures).toEqual([]);
      expect(rss.samples).toBeGreaterThan(0);
      expect(rss.max).toBeGreaterThan(0);
      expect(rss.max).toBeLessThan(RSS_LIMIT);
    });
  });
}
