// Issue 14, item 1: request queries run under REQUEST_STATEMENT_TIMEOUT_MS; one cancelled by it is a 503 with code
// `query_timeout` (not a 500), the server stays healthy, and background jobs (runInBackground) are exempt.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READ_KEY, seedFixture } from "@/tests/authorization/fixture";
import { startAppServer, type AppServer } from "./helpers/app-server";

const TIMEOUT_MS = 100;
// lib/db.ts reads the setting when it is first imported: set it before.
process.env.REQUEST_STATEMENT_TIMEOUT_MS = String(TIMEOUT_MS);
const { db, pool, runInBackground } = await import("@/lib/db");
const { toApiError } = await import("@/lib/api/route");

let app: AppServer;

beforeAll(async () => {
  await seedFixture(process.env.DATABASE_URL!);
  // ~1.1M rows in each daily rollup (300 agents × 5 years × 2 types or customers): grouping 5 years of them by agent takes seconds,
  // while the key lookup and settings read before it take a millisecond.
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  await c.query(`INSERT INTO agents (key, name, updated_at) SELECT 'heavy-' || i, 'Heavy ' || i, now() FROM generate_series(1, 300) i`);
  await c.query(`
    INSERT INTO usage_rollup_daily_core_folded (day, agent_id, department_id, type, model, task_type, handled_by, task_status, events, quantity, cost,
      reported_cost, computed_cost, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds)
    SELECT d, a.id, 0, t, '', '', '', '', 1, 1, a.id % 13 + 1, 0, 0, 0, 0, 0, 0, 0, 0
    FROM agents a CROSS JOIN generate_series(current_date - 1820, current_date, interval '1 day') d CROSS JOIN unnest(ARRAY['llm.call', 'agent.action']) t
    WHERE a.key LIKE 'heavy-%'`);
  // Usage by agent per day reads the day × customer rollup (lib/analytics/filters.ts): the same load there, over two customers.
  await c.query(`
    INSERT INTO usage_rollup_daily_customer_folded (day, customer_id, agent_id, department_id, events, quantity, cost, reported_cost, computed_cost,
      input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds)
    SELECT d, cu, a.id, 0, 1, 1, a.id % 13 + 1, 0, 0, 0, 0, 0, 0, 0, 0
    FROM agents a CROSS JOIN generate_series(current_date - 1820, current_date, interval '1 day') d CROSS JOIN generate_series(0, 1) cu
    WHERE a.key LIKE 'heavy-%'`);
  await c.query("ANALYZE usage_rollup_daily_core_folded, usage_rollup_daily_customer_folded");
  await c.end();
  app = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { REQUEST_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS) } });
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

describe("statement timeout", () => {
  it("answers an expensive read cancelled by the timeout with 503 query_timeout, and stays healthy", async () => {
    const from = new Date(Date.now() - 1800 * 86_400_000).toISOString().slice(0, 10);
    const res = await fetch(`${app.baseUrl}/api/v1/usage?groupBy=agent&top=50&from=${from}`, { headers: { authorization: `Bearer ${READ_KEY}` } });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect(body.error.code).toBe("query_timeout");
    expect(body.error.message).toContain("0.1 s");
    expect((await fetch(`${app.baseUrl}/api/health`)).status).toBe(200);
    // A cheap read on the same server still answers.
    expect((await fetch(`${app.baseUrl}/api/v1/settings`, { headers: { authorization: `Bearer ${READ_KEY}` } })).status).toBe(200);
  });

  it("cancels request queries (Prisma and pg) but not background jobs'", async () => {
    const prismaError = await db.$queryRaw`SELECT 1 AS one FROM pg_sleep(1)`.then(() => null, (e: unknown) => e);
    expect(prismaError).not.toBeNull();
    expect(toApiError(prismaError, "test", "test")).toMatchObject({ status: 503, code: "query_timeout" });
    const pgError = await pool.query("SELECT pg_sleep(1)").then(() => null, (e: unknown) => e);
    expect(toApiError(pgError, "test", "test")).toMatchObject({ status: 503, code: "query_timeout" });
    await runInBackground(async () => {
      await db.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.6)`;
      await pool.query("SELECT pg_sleep(0.6)");
      expect((await pool.query<{ t: string }>("SELECT current_setting('statement_timeout') AS t")).rows[0]!.t).toBe("0");
    });
    expect((await pool.query<{ t: string }>("SELECT current_setting('statement_timeout') AS t")).rows[0]!.t).toBe(`${TIMEOUT_MS}ms`);
  });
});
