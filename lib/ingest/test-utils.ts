// Shared by the ingestion integration tests: the built app on this test file's database, keys, and checks.
import { gzipSync } from "node:zlib";
import { expect } from "vitest";
import { startAppServer, type AppServer } from "@/tests/helpers/app-server";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { foldAll } from "@/lib/rollups/fold";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { env } from "@/lib/env";

export type IngestApp = AppServer & {
  key: string;
  post: (body: unknown, options?: { key?: string | null; headers?: Record<string, string>; gzip?: boolean; raw?: BodyInit }) => Promise<Response>;
};

/** Organization row (currency USD, given time zone), an ingest key, and `next start` on this file's database. */
export async function startIngestApp(options: { timeZone?: string; serverEnv?: Record<string, string> } = {}): Promise<IngestApp> {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Test Org', 'USD', $1, now())", [
    options.timeZone ?? "UTC",
  ]);
  const { secret } = await createApiKey({ name: "test", scopes: ["ingest"], source: "test", rateLimitPerMinute: 1_000_000, mayCreateEntities: true, mayWriteFinalized: true });
  const server = await startAppServer({ databaseUrl: env().DATABASE_URL, env: options.serverEnv });
  const post: IngestApp["post"] = (body, { key = secret, headers = {}, gzip = false, raw } = {}) => {
    const json = Buffer.from(JSON.stringify(body));
    return fetch(`${server.baseUrl}/api/v1/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...(gzip ? { "content-encoding": "gzip" } : {}),
        ...headers,
      },
      body: raw ?? (gzip ? gzipSync(json) : json),
    });
  };
  return { ...server, key: secret, post };
}

type Totals = { events: string; quantity: string; cost: string; reported: string; computed: string; input: string; output: string };
const TOTALS = `coalesce(sum(event_sign), 0)::text AS events, trim_scale(coalesce(sum(quantity), 0))::text AS quantity,
  trim_scale(coalesce(sum(cost), 0))::text AS cost, trim_scale(coalesce(sum(reported_cost), 0))::text AS reported,
  trim_scale(coalesce(sum(computed_cost), 0))::text AS computed,
  coalesce(sum(input_tokens), 0)::text AS input, coalesce(sum(output_tokens), 0)::text AS output`;
const ROLLUP_TOTALS = TOTALS.replace("coalesce(sum(event_sign), 0)::text", "coalesce(sum(events), 0)::text");

/** Raw totals and every rollup's totals, as exact decimal text without trailing zeros. */
export async function totals(): Promise<{ raw: Totals; hourly: Totals; daily: Totals; dailyCore: Totals; hourlyCore: Totals; dailyCustomer: Totals }> {
  const [raw, hourly, daily, dailyCore, hourlyCore, dailyCustomer] = await Promise.all([
    pool.query<Totals>(`SELECT ${TOTALS} FROM usage_events`),
    pool.query<Totals>(`SELECT ${ROLLUP_TOTALS} FROM usage_rollup_hourly`),
    pool.query<Totals>(`SELECT ${ROLLUP_TOTALS} FROM usage_rollup_daily`),
    pool.query<Totals>(`SELECT ${ROLLUP_TOTALS} FROM usage_rollup_daily_core`),
    pool.query<Totals>(`SELECT ${ROLLUP_TOTALS} FROM usage_rollup_hourly_core`),
    pool.query<Totals>(`SELECT ${ROLLUP_TOTALS} FROM usage_rollup_daily_customer`),
  ]);
  return {
    raw: raw.rows[0]!,
    hourly: hourly.rows[0]!,
    daily: daily.rows[0]!,
    dailyCore: dailyCore.rows[0]!,
    hourlyCore: hourlyCore.rows[0]!,
    dailyCustomer: dailyCustomer.rows[0]!,
  };
}

/**
 * The rollups (folded + tail) equal the raw events; once the tail is folded, they equal a full rebuild from raw
 * events row for row.
 */
export async function expectRollupsMatchRebuild(): Promise<void> {
  const before = await totals();
  for (const rollup of [before.hourly, before.daily, before.dailyCore, before.hourlyCore, before.dailyCustomer]) expect(rollup).toEqual(before.raw);
  await foldAll();
  const snapshot = async () => {
    const [h, d, c, hc, dc, b] = await Promise.all([
      pool.query("SELECT * FROM usage_rollup_hourly ORDER BY bucket, agent_id, department_id, customer_id, type, model, task_type, handled_by, task_status, dims::text"),
      pool.query("SELECT * FROM usage_rollup_daily ORDER BY day, agent_id, department_id, customer_id, type, model, task_type, handled_by, task_status, dims::text"),
      pool.query("SELECT * FROM usage_rollup_daily_core ORDER BY day, agent_id, department_id, type, model, task_type, handled_by, task_status"),
      pool.query("SELECT * FROM usage_rollup_hourly_core ORDER BY bucket, agent_id, department_id, type, model, task_type, handled_by, task_status"),
      pool.query("SELECT * FROM usage_rollup_daily_customer ORDER BY day, customer_id, agent_id, department_id"),
      // Budget spend too (lib/budgets); rows whose cost nets to 0 may remain incrementally, a rebuild has none.
      pool.query("SELECT day, source, agent_id, department_id, trim_scale(cost)::text AS cost FROM budget_spend_daily WHERE cost <> 0 ORDER BY 1, 2, 3, 4"),
    ]);
    return { hourly: h.rows, daily: d.rows, dailyCore: c.rows, hourlyCore: hc.rows, dailyCustomer: dc.rows, budget: b.rows };
  };
  const incremental = await snapshot();
  await rebuildRollups(pool);
  expect(incremental).toEqual(await snapshot());
  const t = await totals();
  expect(t.hourly).toEqual(t.raw);
  expect(t.daily).toEqual(t.raw);
  expect(t.dailyCore).toEqual(t.raw);
  expect(t.hourlyCore).toEqual(t.raw);
  expect(t.dailyCustomer).toEqual(t.raw);
}

export function event(id: string, extra: Record<string, unknown> = {}) {
  return { id, timestamp: "2026-11-20T10:00:00Z", agent: "support-bot", type: "agent.action", ...extra };
}
