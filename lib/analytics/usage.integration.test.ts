// Usage API numbers vs an independent computation over raw usage_events (non-UTC zone, both DST changes).
import Decimal from "decimal.js";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { usageQuery, usageResponse, type UsageResponse } from "./schemas";
import { admin, loadFixtures, TZ, type Ids } from "./test-fixtures";
import { usage } from "./usage";

type M = { events: number; quantity: string; cost: string };

const RAW_KEY: Record<string, string> = {
  none: `'all'`,
  department: `coalesce(d.code, 'UNASSIGNED')`,
  agent: `a.key`,
  customer: `coalesce(c.key, '(none)')`,
  model: `coalesce(e.model, '(none)')`,
  type: `e.type`,
  "property:tenant": `coalesce(e.properties ->> 'tenant', '(none)')`,
};
const LOCAL = `(e.timestamp AT TIME ZONE $1)`;
const RAW_BUCKET: Record<string, string> = {
  // Local hour plus UTC offset in hours, so the repeated 01:00 hour of 2026-11-01 stays two buckets.
  hour: `to_char(${LOCAL}, 'YYYY-MM-DD"T"HH24') || (extract(epoch FROM ${LOCAL} - (e.timestamp AT TIME ZONE 'UTC')) / 3600)::int`,
  day: `to_char(${LOCAL}::date, 'YYYY-MM-DD')`,
  week: `to_char(date_trunc('week', ${LOCAL}), 'YYYY-MM-DD')`,
  month: `to_char(date_trunc('month', ${LOCAL}), 'YYYY-MM-DD')`,
};
const bucketOfStart = (granularity: string, start: string) =>
  granularity === "hour" ? start.slice(0, 13) + Number(start.slice(19, 22)) : start.slice(0, 10);

/** bucket|key → metrics, straight from raw events. `where` uses $1 = time zone, $2/$3 = from/to days. */
async function raw(granularity: string, groupBy: string, from: string, to: string, where = "true", params: unknown[] = []) {
  const { rows } = await pool.query<{ bucket: string; key: string; events: string; quantity: string; cost: string }>(
    `SELECT ${RAW_BUCKET[granularity]} AS bucket, ${RAW_KEY[groupBy]} AS key, count(*) AS events, sum(e.quantity)::text AS quantity, sum(e.cost)::text AS cost
     FROM usage_events e JOIN agents a ON a.id = e.agent_id LEFT JOIN departments d ON d.id = e.department_id LEFT JOIN customers c ON c.id = e.customer_id
     WHERE ${LOCAL}::date BETWEEN $2::date AND $3::date AND ${where}
     GROUP BY 1, 2`,
    [TZ, from, to, ...params],
  );
  return new Map(rows.map((r) => [`${r.bucket}|${r.key}`, { events: Number(r.events), quantity: r.quantity, cost: r.cost }]));
}

/** The same shape from the API response (summing points that share a bucket key; empty buckets dropped). */
function fromResponse(res: UsageResponse) {
  const out = new Map<string, M>();
  for (const s of res.series) {
    for (const p of s.points) {
      if (p.events === 0) continue;
      const k = `${bucketOfStart(res.granularity, p.start)}|${s.key}`;
      const prev = out.get(k);
      out.set(k, {
        events: (prev?.events ?? 0) + p.events,
        quantity: new Decimal(prev?.quantity ?? 0).plus(p.quantity).toFixed(),
        cost: new Decimal(prev?.cost ?? 0).plus(p.cost).toFixed(),
      });
    }
  }
  return out;
}

function expectSame(actual: Map<string, M>, expected: Map<string, M>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, e] of expected) {
    const a = actual.get(k)!;
    expect({ k, events: a.events, quantity: new Decimal(a.quantity).toFixed(), cost: new Decimal(a.cost).toFixed() }).toEqual({
      k,
      events: e.events,
      quantity: new Decimal(e.quantity).toFixed(),
      cost: new Decimal(e.cost).toFixed(),
    });
  }
}

async function run(params: Record<string, string>) {
  const res = await usage(admin, await orgSettings(), usageQuery.parse(params));
  usageResponse.parse(res);
  return res;
}

let ids: Ids;
beforeAll(async () => {
  ids = await loadFixtures(pool);
  forgetOrgSettings();
});

describe("usage equals raw events", () => {
  const cases: [string, string, string, string][] = [
    ["day", "department", "2026-02-25", "2026-03-15"],
    ["day", "none", "2026-10-25", "2026-11-08"],
    ["hour", "type", "2026-03-07", "2026-03-09"],
    ["hour", "agent", "2026-10-31", "2026-11-02"],
    // By customer the full hourly rollup is read; the two above read the core one.
    ["hour", "customer", "2026-10-31", "2026-11-02"],
    // By day, week or month these read the day × customer × agent × department rollup, the others the core or full one.
    ["week", "customer", "2026-02-20", "2026-03-19"],
    ["day", "agent", "2026-10-25", "2026-11-08"],
    ["month", "model", "2026-02-01", "2026-11-30"],
    ["day", "property:tenant", "2026-02-20", "2026-03-19"],
  ];
  for (const [granularity, groupBy, from, to] of cases) {
    it(`${granularity} × ${groupBy} ${from}..${to}`, async () => {
      const res = await run({ from, to, granularity, groupBy, top: "50" });
      expectSame(fromResponse(res), await raw(granularity, groupBy, from, to));
      expect(res.series.some((s) => s.key === "__other__")).toBe(false);
    });
  }

  it("has 23 hourly buckets on the spring-forward day and 25 on the fall-back day", async () => {
    const spring = await run({ from: "2026-03-08", to: "2026-03-08", granularity: "hour" });
    const fall = await run({ from: "2026-11-01", to: "2026-11-01", granularity: "hour" });
    expect(spring.series[0]!.points).toHaveLength(23);
    expect(fall.series[0]!.points).toHaveLength(25);
    expect(fall.series[0]!.points.slice(1, 3).map((p) => p.start)).toEqual(["2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00"]);
  });

  it("applies every filter, alone and combined", async () => {
    const from = "2026-02-20";
    const to = "2026-11-30";
    const filters: [Record<string, string>, string, unknown[]][] = [
      [{ agent: "resolver,auditor" }, "a.key = ANY($4)", [["resolver", "auditor"]]],
      [{ department: "UNASSIGNED" }, "e.department_id IS NULL", []],
      [{ department: "SUP", customer: "(none)" }, "d.code = 'SUP' AND e.customer_id IS NULL", []],
      [{ type: "llm.call", model: "gpt-x" }, "e.type = 'llm.call' AND e.model = 'gpt-x'", []],
      [{ customer: "acme", "property:tenant": "t1,(none)" }, "c.key = 'acme' AND coalesce(e.properties ->> 'tenant', '') IN ('t1', '')", []],
    ];
    for (const [params, where, extra] of filters) {
      const res = await run({ from, to, granularity: "month", groupBy: "department", ...params });
      expectSame(fromResponse(res), await raw("month", "department", from, to, where, extra));
    }
  });

  it("returns empty results for unknown filter values", async () => {
    const res = await run({ from: "2026-02-20", to: "2026-03-20", agent: "no-such-agent" });
    expect(res.series).toEqual([]);
    expect(res.totals).toEqual({ events: 0, quantity: 0, cost: "0" });
  });

  it("keeps the top N groups by cost and sums the rest into Other", async () => {
    const from = "2026-02-20";
    const to = "2026-03-20";
    const res = await run({ from, to, groupBy: "agent", top: "2" });
    const { rows } = await pool.query<{ key: string; cost: string; events: string }>(
      `SELECT a.key, sum(e.cost)::text AS cost, count(*) AS events FROM usage_events e JOIN agents a ON a.id = e.agent_id
       WHERE (e.timestamp AT TIME ZONE $1)::date BETWEEN $2 AND $3 GROUP BY a.id, a.key ORDER BY sum(e.cost) DESC, a.id`,
      [TZ, from, to],
    );
    expect(res.series.map((s) => s.key)).toEqual([rows[0]!.key, rows[1]!.key, "__other__"]);
    const rest = rows.slice(2);
    expect(res.series[2]!.totals.cost).toBe(rest.reduce((a, r) => a.plus(r.cost), new Decimal(0)).toFixed());
    expect(res.series[2]!.totals.events).toBe(rest.reduce((a, r) => a + Number(r.events), 0));
    expect(res.totals.events).toBe(rows.reduce((a, r) => a + Number(r.events), 0));
  });

  it("lists the members of Other (bounded) with their totals and previous period", async () => {
    const from = "2026-03-08";
    const to = "2026-03-14";
    const res = await run({ from, to, groupBy: "agent", top: "1" });
    const byCost = async (f: string, t: string) =>
      (
        await pool.query<{ key: string; cost: string; events: string }>(
          `SELECT a.key, sum(e.cost)::text AS cost, count(*) AS events FROM usage_events e JOIN agents a ON a.id = e.agent_id
           WHERE (e.timestamp AT TIME ZONE $1)::date BETWEEN $2 AND $3 GROUP BY a.id, a.key ORDER BY sum(e.cost) DESC, a.key`,
          [TZ, f, t],
        )
      ).rows;
    const rows = await byCost(from, to);
    const previous = new Map((await byCost("2026-03-01", "2026-03-07")).map((r) => [r.key, r]));
    const rest = rows.slice(1);
    expect(rest.length).toBeGreaterThan(1);
    expect(res.other!.groups).toBe(rest.length);
    expect(res.other!.members.map((m) => [m.key, new Decimal(m.totals.cost).toFixed(), m.totals.events])).toEqual(
      rest.slice(0, 50).map((r) => [r.key, new Decimal(r.cost).toFixed(), Number(r.events)]),
    );
    for (const m of res.other!.members) expect(new Decimal(m.previous.cost).toFixed()).toBe(new Decimal(previous.get(m.key)?.cost ?? 0).toFixed());
    const other = res.series.find((s) => s.key === "__other__")!;
    expect(res.other!.members.reduce((a, m) => a.plus(m.totals.cost), new Decimal(0)).toFixed()).toBe(new Decimal(other.totals.cost).toFixed());
    expect((await run({ from, to, groupBy: "agent", top: "50" })).other).toBeNull();
  });

  it("compares with the previous period of equal length", async () => {
    const res = await run({ from: "2026-03-08", to: "2026-03-14", groupBy: "department", top: "50" });
    expect(res.previous).toMatchObject({ from: "2026-03-01", to: "2026-03-07" });
    const prev = await raw("day", "department", "2026-03-01", "2026-03-07");
    const cost = [...prev.values()].reduce((a, m) => a.plus(m.cost), new Decimal(0));
    expect(res.previous.totals.cost).toBe(cost.toFixed());
    const sup = [...prev.entries()].filter(([k]) => k.endsWith("|SUP")).reduce((a, [, m]) => a.plus(m.cost), new Decimal(0));
    expect(res.series.find((s) => s.key === "SUP")!.previous.cost).toBe(sup.toFixed());
    expect(res.previous.points).toHaveLength(7);
  });

  it("limits a department-scoped user to their departments", async () => {
    const scoped = { ...admin, departmentIds: [ids.departments[1]!] };
    const res = await usage(scoped, await orgSettings(), usageQuery.parse({ from: "2026-02-20", to: "2026-11-30", groupBy: "department" }));
    expect(res.series.map((s) => s.key)).toEqual(["FIN"]);
    const expected = await raw("day", "none", "2026-02-20", "2026-11-30", "d.code = 'FIN'");
    expect(res.totals.events).toBe([...expected.values()].reduce((a, m) => a + m.events, 0));
  });
});

describe("usage parameters", () => {
  const bad: [Record<string, string>, string][] = [
    [{ granularity: "year" }, "granularity"],
    [{ groupBy: "colour" }, "groupBy"],
    [{ from: "2026-02-30" }, "from"],
    [{ from: "2026-03-10", to: "2026-03-01" }, "to"],
    [{ from: "2026-01-01", to: "2026-03-01", granularity: "hour" }, "granularity"],
    [{ top: "0" }, "top"],
    [{ agnet: "resolver" }, "agnet"],
  ];
  for (const [params, path] of bad) {
    it(`rejects ${JSON.stringify(params)} naming '${path}'`, () => {
      const result = usageQuery.safeParse(params);
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.path.join("."))).toContain(path);
    });
  }

  it("rejects grouping or filtering by a property that is not a promoted dimension", async () => {
    const org = await orgSettings();
    await expect(usage(admin, org, usageQuery.parse({ groupBy: "property:region" }))).rejects.toMatchObject({ status: 400, details: [{ path: "groupBy" }] });
    await expect(usage(admin, org, usageQuery.parse({ "property:region": "eu" }))).rejects.toMatchObject({ status: 400, details: [{ path: "property:region" }] });
  });
});
