// DATABASE_READ_URL: the dashboard routes read from the replica, everything else (API key lookup, rate limits) from
// the primary. The "replica" here is a second database holding the same fixtures but one big event fewer, made
// read-only like a standby (default_transaction_read_only), so a dashboard route that wrote would fail.
import { NextRequest } from "next/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, dropTestDatabase } from "./helpers/db";

const replicaUrl = await createTestDatabase(inject("templateDatabaseUrl"), "replica");
process.env.DATABASE_READ_URL = replicaUrl; // before the app's modules read their configuration

const { pool } = await import("@/lib/db");
const { createApiKey } = await import("@/lib/auth/api-keys");
const { loadFixtures } = await import("@/lib/analytics/test-fixtures");
const { rebuildRollups } = await import("@/lib/rollups/rebuild");
const { forgetOrgSettings } = await import("@/lib/org");

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const routes: Record<string, { handler: Handler; path: string; params?: Record<string, string> }> = {
  overview: { handler: (await import("@/app/api/v1/overview/route")).GET as Handler, path: "/api/v1/overview?from=2026-03-01&to=2026-03-31" },
  usage: { handler: (await import("@/app/api/v1/usage/route")).GET as Handler, path: "/api/v1/usage?from=2026-03-01&to=2026-03-31&groupBy=agent" },
  workload: { handler: (await import("@/app/api/v1/workload/route")).GET as Handler, path: "/api/v1/workload?from=2026-03-01&to=2026-03-31&groupBy=agent" },
  roi: { handler: (await import("@/app/api/v1/roi/route")).GET as Handler, path: "/api/v1/roi?from=2026-03-01&to=2026-03-31&groupBy=department" },
  allocation: { handler: (await import("@/app/api/v1/allocation/route")).GET as Handler, path: "/api/v1/allocation?period=2026-03" },
  agent: { handler: (await import("@/app/api/v1/agents/[key]/route")).GET as Handler, path: "/api/v1/agents/resolver?from=2026-03-01&to=2026-03-31", params: { key: "resolver" } },
  agentEvents: { handler: (await import("@/app/api/v1/agents/[key]/events/route")).GET as Handler, path: "/api/v1/agents/resolver/events?from=2026-03-01&to=2026-03-31&limit=200", params: { key: "resolver" } },
};

let secret = "";
const BIG_EVENT = "replica-lag-probe";

async function call(name: keyof typeof routes) {
  const { handler, path, params = {} } = routes[name]!;
  const res = await handler(new NextRequest(`http://localhost${path}`, { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve(params) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const rawSpend = async (db: pg.Pool) =>
  (await db.query<{ s: string }>(
    `SELECT coalesce(sum(cost), 0)::text AS s FROM usage_events, organizations o
     WHERE timestamp >= ('2026-03-01'::timestamp AT TIME ZONE o.time_zone) AND timestamp < ('2026-04-01'::timestamp AT TIME ZONE o.time_zone)`,
  )).rows[0]!.s;

let replica: pg.Pool;

beforeAll(async () => {
  // The same fixtures on both; then the primary gets one more event (resolver, $1,000) the replica has not yet seen.
  replica = new pg.Pool({ connectionString: replicaUrl, max: 2 });
  await loadFixtures(replica);
  await loadFixtures(pool);
  await pool.query(
    `INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, reported_cost)
     SELECT 't', $1, '2026-03-10T12:00:00Z', 'agent.action', id, department_id, 1000, 1000 FROM agents WHERE key = 'resolver'`,
    [BIG_EVENT],
  );
  await rebuildRollups(pool);
  await rebuildRollups(replica);
  await replica.query(`ALTER DATABASE "${new URL(replicaUrl).pathname.slice(1)}" SET default_transaction_read_only = on`);
  await replica.end();
  replica = new pg.Pool({ connectionString: replicaUrl, max: 2 });
  forgetOrgSettings();
  // The key lives only on the primary: looking it up on the replica would answer 401.
  secret = (await createApiKey({ name: "read", scopes: ["read"] })).secret;
});

afterAll(async () => {
  await replica.end();
  await dropTestDatabase(replicaUrl);
});

describe("dashboards on a read replica", () => {
  it("every dashboard route answers from the replica without writing to it", async () => {
    for (const name of Object.keys(routes) as (keyof typeof routes)[]) {
      const res = await call(name);
      expect(res.status, `${name}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
      expect(JSON.stringify(res.body), `${name} shows the event only the primary has`).not.toContain(BIG_EVENT);
    }
  });

  it("Overview's spend is the replica's raw events, not the primary's", async () => {
    const [onReplica, onPrimary] = [await rawSpend(replica), await rawSpend(pool)];
    expect(Number(onPrimary) - Number(onReplica)).toBeCloseTo(1000, 6);
    const res = await call("overview");
    expect(Number((res.body.current as { cost: string }).cost)).toBeCloseTo(Number(onReplica), 2);
  });

  it("the replica refuses writes (so the first test would have caught a dashboard that wrote)", async () => {
    await expect(replica.query("UPDATE organizations SET name = name")).rejects.toThrow(/read-only transaction/);
  });
});
