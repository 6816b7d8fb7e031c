// Agent detail, its raw-event pages, Overview forecast/movers and custom dimensions vs raw usage_events.
import Decimal from "decimal.js";
import { beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "@/lib/db";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { agentDetail, agentEvents } from "./agent";
import { demoteDimension, listDimensions, promoteDimension } from "./dimensions";
import { overview } from "./overview";
import { agentDetailResponse, agentEventsResponse, agentQuery, usageQuery } from "./schemas";
import { overviewResponse } from "./overview-schemas";
import { daysOf } from "./period";
import type { Caller } from "@/lib/auth/caller";
import { admin, loadFixtures, TZ } from "./test-fixtures";
import { usage } from "./usage";

beforeAll(async () => {
  await loadFixtures(pool);
  forgetOrgSettings();
});

describe("agent detail", () => {
  it("equals raw events", async () => {
    const from = "2026-10-25";
    const to = "2026-11-08";
    const res = agentDetailResponse.parse(await agentDetail(admin, await orgSettings(), "resolver", agentQuery.parse({ from, to, granularity: "week" })));
    const [raw] = (
      await pool.query(
        `SELECT count(*)::int AS events, sum(e.cost)::text AS cost, count(*) FILTER (WHERE handled_by = 'agent')::int AS tasks,
           count(*) FILTER (WHERE handled_by = 'agent' AND task_status = 'completed')::int AS completed,
           count(*) FILTER (WHERE handled_by = 'agent' AND task_status = 'escalated')::int AS escalated
         FROM usage_events e JOIN agents a ON a.id = e.agent_id
         WHERE a.key = 'resolver' AND (e.timestamp AT TIME ZONE $1)::date BETWEEN $2 AND $3`,
        [TZ, from, to],
      )
    ).rows;
    expect(res.totals).toMatchObject({ events: raw.events, cost: new Decimal(raw.cost).toFixed(), tasks: raw.tasks, completed: raw.completed, escalated: raw.escalated });
    expect(res.totals.costPerTask).toBe(new Decimal(raw.cost).div(raw.tasks).toDecimalPlaces(6).toFixed(6));
    expect(res.series.map((p) => p.start)).toEqual(["2026-10-19T00:00:00-04:00", "2026-10-26T00:00:00-04:00", "2026-11-02T00:00:00-05:00"]);
    expect(res.series.reduce((a, p) => a + p.events, 0)).toBe(raw.events);
    expect(res.models.reduce((a, m) => a + m.events, 0)).toBe(raw.events);
    expect(res.departments.map((d) => d.key).sort()).toEqual(["FIN", "SUP", "UNASSIGNED"]);
  });

  it("pages through raw events newest first without gaps or repeats", async () => {
    const org = await orgSettings();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = agentEventsResponse.parse(await agentEvents(admin, org, "triage", { from: "2026-03-01", to: "2026-03-10", limit: 37, cursor }));
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const { rows } = await pool.query<{ id: string }>(
      `SELECT e.id::text FROM usage_events e JOIN agents a ON a.id = e.agent_id
       WHERE a.key = 'triage' AND (e.timestamp AT TIME ZONE $1)::date BETWEEN '2026-03-01' AND '2026-03-10' ORDER BY e.timestamp DESC, e.id DESC`,
      [TZ],
    );
    expect(seen).toEqual(rows.map((r) => r.id));
    await expect(agentEvents(admin, org, "triage", { limit: 5, cursor: "garbage" })).rejects.toMatchObject({ status: 400, details: [{ path: "cursor" }] });
    await expect(agentDetail(admin, org, "nobody", agentQuery.parse({}))).rejects.toMatchObject({ status: 404 });
  });
});

describe("overview", () => {
  it("forecasts month-end spend and ranks movers from the daily rollup", async () => {
    const res = await overview(admin, { from: "2026-03-08", to: "2026-03-14" }, "2026-03-10");
    const daily = async (from: string, to: string) =>
      new Decimal(
        (await pool.query(`SELECT coalesce(sum(cost), 0)::text AS c FROM usage_events WHERE (timestamp AT TIME ZONE $1)::date BETWEEN $2 AND $3`, [TZ, from, to])).rows[0].c,
      );
    const complete = await daily("2026-03-01", "2026-03-09");
    const runRate = (await daily("2026-03-03", "2026-03-09")).div(7);
    expect(res.forecast).toMatchObject({
      month: "2026-03",
      monthToDate: complete.plus(await daily("2026-03-10", "2026-03-10")).toDecimalPlaces(2).toFixed(2),
      forecast: complete.plus(runRate.times(22)).toDecimalPlaces(2).toFixed(2),
    });
    const { rows } = await pool.query(
      `SELECT a.key, sum(e.cost) FILTER (WHERE d >= '2026-03-08') - coalesce(sum(e.cost) FILTER (WHERE d < '2026-03-08'), 0) AS change
       FROM (SELECT *, (timestamp AT TIME ZONE $1)::date AS d FROM usage_events) e JOIN agents a ON a.id = e.agent_id
       WHERE d BETWEEN '2026-03-01' AND '2026-03-14' GROUP BY 1`,
      [TZ],
    );
    const agentMovers = res.movers.filter((m) => m.kind === "agent");
    for (const m of agentMovers) expect(m.change).toBe(new Decimal(rows.find((r) => r.key === m.key)!.change).toFixed());
    const changes = res.movers.map((m) => Math.abs(Number(m.change)));
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
  });
  it("totals, active agents, top departments and agents, daily spend and unpriced events equal raw events, scoped too", async () => {
    const range = { from: "2026-03-01", to: "2026-03-14" };
    const previous = { from: "2026-02-15", to: "2026-02-28" };
    const { rows: sup } = await pool.query<{ id: number }>(`SELECT id FROM departments WHERE code = 'SUP'`);
    for (const ids of [null, [sup[0]!.id]]) {
      const caller = ids ? ({ ...admin, departmentIds: ids } as Caller) : admin;
      const res = overviewResponse.parse({ currency: "USD", timeZone: TZ, ...(await overview(caller, range, "2026-03-10")) });
      const scope = ids ? `AND e.department_id = ANY($4::int[])` : "";
      const raw = async <T extends object>(select: string, p: { from: string; to: string }, group = "") =>
        (
          await pool.query<T>(
            `SELECT ${select} FROM usage_events e JOIN agents a ON a.id = e.agent_id LEFT JOIN departments d ON d.id = e.department_id
             WHERE (e.timestamp AT TIME ZONE $1)::date BETWEEN $2 AND $3 ${scope} ${group}`,
            [TZ, p.from, p.to, ...(ids ? [ids] : [])],
          )
        ).rows;
      for (const [p, got] of [[range, res.current], [previous, res.prior]] as const) {
        const [t] = await raw<{ events: number; agents: number; cost: string }>(`count(*)::int AS events, count(DISTINCT e.agent_id)::int AS agents, coalesce(sum(e.cost), 0)::text AS cost`, p);
        expect({ events: got.events, activeAgents: got.activeAgents, cost: got.cost }).toEqual({ events: t!.events, activeAgents: t!.agents, cost: new Decimal(t!.cost).toFixed() });
      }
      const top = async (key: string) =>
        (await raw<{ key: string; cost: string; events: number }>(`${key} AS key, sum(e.cost)::text AS cost, count(*)::int AS events`, range, `GROUP BY 1 ORDER BY sum(e.cost) DESC LIMIT 5`)).map((r) => ({ ...r, cost: new Decimal(r.cost).toFixed() }));
      const shown = (xs: { key: string; cost: string; events: number }[]) => xs.map((x) => ({ key: x.key, cost: new Decimal(x.cost).toFixed(), events: x.events }));
      expect(shown(res.topAgents)).toEqual(await top("a.key"));
      expect(shown(res.topDepartments)).toEqual(await top("coalesce(d.code, 'UNASSIGNED')"));
      const daily = new Map((await raw<{ day: string; cost: string; events: number }>(`to_char((e.timestamp AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS day, sum(e.cost)::text AS cost, count(*)::int AS events`, range, "GROUP BY 1")).map((r) => [r.day, r]));
      expect(res.daily.map((d) => ({ day: d.day, cost: new Decimal(d.cost).toFixed(), events: d.events }))).toEqual(
        daysOf(range).map((day) => ({ day, cost: new Decimal(daily.get(day)?.cost ?? 0).toFixed(), events: daily.get(day)?.events ?? 0 })),
      );
      const [u] = await raw<{ events: number }>(`count(*) FILTER (WHERE e.unpriced)::int AS events`, range);
      expect(res.unpriced.events).toBe(u!.events);
    }
  });
});

describe("custom dimensions", () => {
  it("promotes a property (rebuilding rollups) so usage groups by it, and demotes it again", async () => {
    expect((await listDimensions(admin)).candidates).toEqual(expect.arrayContaining(["region", "score"]));
    expect(await promoteDimension(admin, "region")).toMatchObject({ dimensions: ["tenant", "region"] });
    await expect(promoteDimension(admin, "region")).rejects.toMatchObject({ status: 409 });
    const res = await usage(admin, await orgSettings(), usageQuery.parse({ from: "2026-02-20", to: "2026-11-30", groupBy: "property:region", granularity: "month" }));
    const { rows } = await pool.query(
      `SELECT coalesce(properties ->> 'region', '(none)') AS key, count(*)::int AS events, sum(cost)::text AS cost
       FROM usage_events WHERE (timestamp AT TIME ZONE $1)::date BETWEEN '2026-02-20' AND '2026-11-30' GROUP BY 1`,
      [TZ],
    );
    expect(res.series.map((s) => ({ key: s.key, events: s.totals.events, cost: s.totals.cost })).sort((a, b) => a.key.localeCompare(b.key))).toEqual(
      rows.map((r) => ({ ...r, cost: new Decimal(r.cost).toFixed() })).sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(await db.auditLog.count({ where: { action: "dimension.promote" } })).toBe(1);

    expect(await demoteDimension(admin, "region")).toMatchObject({ dimensions: ["tenant"] });
    await expect(demoteDimension(admin, "region")).rejects.toMatchObject({ status: 404 });
    await expect(usage(admin, await orgSettings(), usageQuery.parse({ groupBy: "property:region" }))).rejects.toMatchObject({ status: 400 });
    const { rows: dims } = await pool.query(`SELECT count(*)::int AS n FROM usage_rollup_daily WHERE dims ? 'region'`);
    expect(dims[0].n).toBe(0);
  });
});
