// Issue 14, item 1 over real HTTP: a read's resolved range (after defaults) is checked on every endpoint, with a
// 400 naming the limit and the field; `top` and the points per series are bounded; reads are rate-limited per
// session user and per API key (429 with Retry-After), separately from ingestion's own limit.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_HOURLY_DAYS, MAX_POINTS, MAX_RANGE_DAYS, MAX_RESPONSE_BYTES, MAX_SERIES } from "@/lib/api/limits";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { callerHeaders, seedFixture, type CallerHeaders } from "@/tests/authorization/fixture";
import { startAppServer, type AppServer } from "./helpers/app-server";

type ErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

let app: AppServer;
let limited: AppServer;
let headers: CallerHeaders;
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  await seedFixture(process.env.DATABASE_URL!);
  // 60 agents with usage every day of the last 6 years: grouping by agent has more groups than `top` allows.
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  await pool.query(`INSERT INTO agents (key, name, updated_at) SELECT 'many-' || i, 'Many ' || i, now() FROM generate_series(1, 60) i`);
  await pool.query(`
    INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, cost, reported_cost)
    SELECT 'many', a.id || '-' || d::date, d + interval '12 hours', 'llm.call', a.id, 1 + a.id % 9, 1 + a.id % 9
    FROM agents a CROSS JOIN generate_series(current_date - 2200, current_date, interval '1 day') d WHERE a.key LIKE 'many-%'`);
  await rebuildRollups(pool);
  await pool.end();
  [app, limited] = await Promise.all([
    startAppServer({ databaseUrl: process.env.DATABASE_URL! }),
    startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { READ_RATE_LIMIT_PER_MINUTE: "5" } }),
  ]);
  headers = await callerHeaders(app.baseUrl);
}, 180_000);

afterAll(async () => {
  await Promise.all([app?.stop(), limited?.stop()]);
});

async function get(server: AppServer, path: string, as: Record<string, string>) {
  // A bounded read answers at once; the unbounded one this replaces took 10–19 s and could exhaust the heap.
  const res = await fetch(`${server.baseUrl}${path}`, { headers: as, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  return { res, text, json: () => JSON.parse(text) as ErrorBody };
}

describe("the resolved range is bounded on every read", () => {
  it("refuses hourly usage from 1970 (no `to`) with a 400 naming the 31-day limit and the field", async () => {
    for (const as of [headers.viewer, headers.readKey]) {
      const { res, json } = await get(app, "/api/v1/usage?granularity=hour&from=1970-01-01", as);
      expect(res.status).toBe(400);
      expect(json().error.details).toContainEqual({ path: "granularity", message: expect.stringContaining(`at most ${MAX_HOURLY_DAYS} days`) });
    }
    const { res, json } = await get(app, "/api/v1/usage?granularity=hour&groupBy=agent&top=50&from=1970-01-01", headers.viewer);
    expect(res.status).toBe(400);
    expect(json().error.message).toContain("hour granularity allows at most 31 days");
  });

  it.each(["usage", "workload", "roi", "overview", "agents/triage", "agents/triage/events"])("refuses /%s?from=1900-01-01 with a 400 naming the 5-year limit", async (endpoint) => {
    const { res, json } = await get(app, `/api/v1/${endpoint}?from=1900-01-01`, headers.viewer);
    expect(res.status).toBe(400);
    expect(json().error.code).toBe("invalid_request");
    expect(json().error.details).toContainEqual({ path: "from", message: expect.stringContaining(`at most ${MAX_RANGE_DAYS} days (5 years)`) });
  });

  it("refuses a range given at both ends over 5 years, and one that ends before it starts", async () => {
    expect((await get(app, `/api/v1/workload?from=${daysAgo(MAX_RANGE_DAYS)}&to=${today}`, headers.viewer)).res.status).toBe(400);
    expect((await get(app, `/api/v1/roi?from=${today}&to=${daysAgo(1)}`, headers.viewer)).res.status).toBe(400);
  });

  it("answers the longest allowed ranges", async () => {
    expect((await get(app, `/api/v1/usage?granularity=hour&from=${daysAgo(MAX_HOURLY_DAYS - 1)}`, headers.viewer)).res.status).toBe(200);
    expect((await get(app, `/api/v1/workload?from=${daysAgo(MAX_RANGE_DAYS - 1)}`, headers.viewer)).res.status).toBe(200);
  });
});

describe("series and points are bounded", () => {
  it("answers top=50 by agent over 5 years with at most 50 series plus Other, each within the points cap", async () => {
    const { res, text } = await get(app, `/api/v1/usage?groupBy=agent&top=50&from=${daysAgo(MAX_RANGE_DAYS - 1)}`, headers.readKey);
    expect(res.status).toBe(200);
    expect(text.length).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    const body = JSON.parse(text) as { series: { key: string; points: unknown[] }[] };
    expect(body.series.length).toBe(MAX_SERIES + 1); // 60 agents: the top 50 and "Other"
    expect(body.series.at(-1)!.key).toBe("__other__");
    for (const s of body.series) expect(s.points.length).toBeLessThanOrEqual(MAX_POINTS);
  });

  it("refuses top over the series cap", async () => {
    const { res, json } = await get(app, `/api/v1/usage?groupBy=agent&top=${MAX_SERIES + 1}`, headers.viewer);
    expect(res.status).toBe(400);
    expect(json().error.details?.[0]?.path).toBe("top");
  });
});

describe("reads are rate-limited per user and per API key", () => {
  it("answers 429 with Retry-After past READ_RATE_LIMIT_PER_MINUTE, counting each caller on its own", async () => {
    const own = await callerHeaders(limited.baseUrl);
    for (let i = 0; i < 5; i++) expect((await get(limited, "/api/v1/settings", own.readKey)).res.status).toBe(200);
    const refused = await get(limited, "/api/v1/settings", own.readKey);
    expect(refused.res.status).toBe(429);
    expect(Number(refused.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.json().error.code).toBe("rate_limited");
    // Any route counts, mutations included; another caller has its own budget.
    expect((await get(limited, "/api/v1/usage", own.readKey)).res.status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await get(limited, "/api/v1/agents", own.viewer)).res.status).toBe(200);
    expect((await get(limited, "/api/v1/agents", own.viewer)).res.status).toBe(429);
    expect((await get(limited, "/api/v1/agents", own.finance)).res.status).toBe(200);
    // Ingestion keeps its own per-key limit (API_RATE_LIMIT_PER_MINUTE), untouched by the read limit.
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${limited.baseUrl}/api/v1/events`, {
        method: "POST",
        headers: { ...own.ingestKey, "content-type": "application/json" },
        body: JSON.stringify({ events: [] }),
      });
      expect(res.status).not.toBe(429);
    }
  });
});
