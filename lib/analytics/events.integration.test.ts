// Events explorer: every page of events behind a total sums to that total, which equals SQL over raw events; the
// filters (task type, handled by, property, none-values) match the dashboards'; department scope; keyset paging.
// Also: the workload's task-type filter against raw events.
import Decimal from "decimal.js";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as eventsGet } from "@/app/api/v1/events/route";
import type { Caller } from "@/lib/auth/caller";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { exploreEvents } from "./events";
import { eventsQuery, eventsResponse, workloadQuery } from "./schemas";
import { admin, loadFixtures, TZ, type Ids } from "./test-fixtures";
import { workload } from "./workload";

let ids: Ids;
let secret = "";

beforeAll(async () => {
  ids = await loadFixtures(pool);
  forgetOrgSettings();
  secret = (await createApiKey({ name: "read", scopes: ["read"] })).secret;
});

/** Raw totals over usage_events for local days [from, to] and a SQL condition on `e` ($4… = params). */
async function raw(from: string, to: string, where = "true", params: unknown[] = []) {
  const { rows } = await pool.query<{ events: string; cost: string }>(
    `SELECT count(*)::text AS events, coalesce(sum(e.cost), 0)::text AS cost FROM usage_events e
     WHERE (e.timestamp AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date AND ${where}`,
    [TZ, from, to, ...params],
  );
  return { events: Number(rows[0]!.events), cost: new Decimal(rows[0]!.cost).toFixed() };
}

/** Every page of the explorer for `search`, as `caller`, `limit` events a page. */
async function all(search: string, caller: Caller = admin, limit = 200) {
  const org = await orgSettings();
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await exploreEvents(caller, org, eventsQuery.parse({ ...Object.fromEntries(new URLSearchParams(search)), limit: String(limit), ...(cursor ? { cursor } : {}) }));
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const events = pages.flatMap((p) => p.events);
  return { totals: pages[0]!.totals, events, listed: events.reduce((s, e) => s.plus(e.cost), new Decimal(0)).toFixed() };
}

describe("events explorer", () => {
  const cases: [string, string, string, unknown[]][] = [
    ["everything in March", "from=2026-03-01&to=2026-03-31", "true", []],
    ["one agent over the DST change", "from=2026-03-07&to=2026-03-09&agent=resolver", "e.agent_id = $4", ["resolver"]],
    ["unassigned department, no customer", "from=2026-02-20&to=2026-03-20&department=UNASSIGNED&customer=(none)", "e.department_id IS NULL AND e.customer_id IS NULL", []],
    ["task type and handled by", "from=2026-02-01&to=2026-11-30&taskType=case&handledBy=human", "e.task_type = 'case' AND e.handled_by = 'human'", []],
    ["no task type, a model, a property", "from=2026-10-20&to=2026-11-12&taskType=(none)&model=gpt-x&property:tenant=t2", "e.task_type IS NULL AND e.model = 'gpt-x' AND e.properties ->> 'tenant' = 't2'", []],
  ];
  for (const [name, search, where, params] of cases) {
    it(`${name}: the listed events sum to the total, which equals raw SQL`, async () => {
      const q = new URLSearchParams(search);
      const sqlParams = params.map((p) => (p === "resolver" ? ids.agents[0] : p));
      const expected = await raw(q.get("from")!, q.get("to")!, where, sqlParams);
      const got = await all(search);
      expect(expected.events).toBeGreaterThan(0);
      expect(got.events).toHaveLength(expected.events);
      expect(got.totals.events).toBe(expected.events);
      expect(got.totals.cost).toBe(expected.cost);
      expect(got.listed).toBe(expected.cost);
      expect(new Set(got.events.map((e) => e.id)).size).toBe(got.events.length); // no event on two pages
      const times = got.events.map((e) => e.timestamp);
      expect([...times].sort().reverse()).toEqual(times); // newest first
    });
  }

  it("small pages over days with few matches list every event once, and a filter matching nothing lists none", async () => {
    const expected = await raw("2026-02-01", "2026-11-30", "e.task_type = 'case' AND e.handled_by = 'agent'");
    const got = await all("from=2026-02-01&to=2026-11-30&taskType=case&handledBy=agent", admin, 3);
    expect(got.events).toHaveLength(expected.events);
    expect(new Set(got.events.map((e) => e.id)).size).toBe(expected.events);
    expect(got.listed).toBe(expected.cost);
    expect(got.events.map((e) => e.timestamp)).toEqual(got.events.map((e) => e.timestamp).sort().reverse());
    const none = await all("from=2026-02-01&to=2026-11-30&type=llm.call&handledBy=agent");
    expect(await raw("2026-02-01", "2026-11-30", "e.type = 'llm.call' AND e.handled_by = 'agent'")).toEqual({ events: 0, cost: "0" });
    expect(none.totals.events).toBe(0);
    expect(none.events).toEqual([]);
  });

  it("a department-scoped user sees only their departments' events", async () => {
    const scoped: Caller = { ...admin, role: "viewer", departmentIds: [ids.departments[1]!] } as Caller;
    const got = await all("from=2026-03-01&to=2026-03-31", scoped);
    const expected = await raw("2026-03-01", "2026-03-31", "e.department_id = $4", [ids.departments[1]]);
    expect(got.events.every((e) => e.department === "FIN")).toBe(true);
    expect(got.totals.cost).toBe(expected.cost);
    expect(got.listed).toBe(expected.cost);
  });

  it("the route answers with the response schema and names bad parameters", async () => {
    const call = async (path: string) => {
      const res = await eventsGet(new NextRequest(`http://localhost${path}`, { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({}) });
      return { status: res.status, body: await res.json() };
    };
    const ok = await call("/api/v1/events?from=2026-03-01&to=2026-03-02&limit=3");
    expect(ok.status).toBe(200);
    expect(() => eventsResponse.parse(ok.body)).not.toThrow();
    expect(ok.body.events).toHaveLength(3);
    for (const [path, param] of [
      ["/api/v1/events?handledBy=robot", "handledBy"],
      ["/api/v1/events?limit=0", "limit"],
      ["/api/v1/events?cursor=nonsense", "cursor"],
      ["/api/v1/events?agnet=x", "agnet"],
    ] as const) {
      const res = await call(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(param);
    }
  });
});

describe("workload task-type filter", () => {
  it("narrows every figure to the task type, equal to raw events", async () => {
    const res = await workload(admin, await orgSettings(), workloadQuery.parse({ from: "2026-02-01", to: "2026-11-30", taskType: "case", groupBy: "agent" }));
    const { rows } = await pool.query<{ agent: string; human: string }>(
      `SELECT count(*) FILTER (WHERE handled_by = 'agent')::text AS agent, count(*) FILTER (WHERE handled_by = 'human')::text AS human
       FROM usage_events e WHERE (e.timestamp AT TIME ZONE $1)::date BETWEEN '2026-02-01' AND '2026-11-30' AND e.task_type = 'case'`,
      [TZ],
    );
    expect(res.totals.agentTasks).toBe(Number(rows[0]!.agent));
    expect(res.totals.humanTasks).toBe(Number(rows[0]!.human));
    expect(res.totals.agentTasks).toBeGreaterThan(0);
    const all = await workload(admin, await orgSettings(), workloadQuery.parse({ from: "2026-02-01", to: "2026-11-30" }));
    expect(all.rows.find((r) => r.key === "case")?.agentTasks).toBe(res.totals.agentTasks);
  });
});
