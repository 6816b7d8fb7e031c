// Overview headline numbers, all read from the core daily rollup (never raw events).
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Caller } from "@/lib/auth/caller";
import { spendForecast } from "./forecast-spend";
import { daysOf, previousRange, type DayRange } from "./period";
import { scopeSql } from "./scope";
import { unpricedTotals } from "@/lib/pricing/unpriced";
import type { OverviewResponse } from "./overview-schemas";

type Totals = Overview["current"];

export type Overview = Omit<OverviewResponse, "currency" | "timeZone">;
export type Mover = OverviewResponse["movers"][number];

async function totals(caller: Caller, range: DayRange): Promise<Totals> {
  const [row] = await db.$queryRaw<{ cost: string; events: bigint; activeAgents: bigint }[]>(Prisma.sql`
    SELECT coalesce(sum(cost), 0)::text AS "cost", coalesce(sum(events), 0)::bigint AS "events",
           count(DISTINCT agent_id)::bigint AS "activeAgents"
    FROM usage_rollup_daily_core
    WHERE day BETWEEN ${range.from}::date AND ${range.to}::date ${scopeSql(caller, "department_id")}`);
  return { cost: row?.cost ?? "0", events: Number(row?.events ?? 0), activeAgents: Number(row?.activeAgents ?? 0) };
}

async function movers(caller: Caller, range: DayRange, previous: DayRange, top: number): Promise<Mover[]> {
  const by = (kind: Mover["kind"]) => {
    const [column, join, key] =
      kind === "agent"
        ? [Prisma.raw("r.agent_id"), Prisma.sql`JOIN agents g ON g.id = s.id`, Prisma.sql`g.key`]
        : [Prisma.raw("r.department_id"), Prisma.sql`LEFT JOIN departments g ON g.id = s.id`, Prisma.sql`coalesce(g.code, 'UNASSIGNED')`];
    // Aggregate per id first and join names to the few rows left, not to every rollup row.
    return db.$queryRaw<Omit<Mover, "kind">[]>(Prisma.sql`
      SELECT ${key} AS "key", coalesce(g.name, 'Unassigned') AS "name",
             s.cost::text AS "cost", s.previous::text AS "previousCost", (s.cost - s.previous)::text AS "change"
      FROM (SELECT ${column} AS id,
                   coalesce(sum(r.cost) FILTER (WHERE r.day >= ${range.from}::date), 0) AS cost,
                   coalesce(sum(r.cost) FILTER (WHERE r.day <= ${previous.to}::date), 0) AS previous
            FROM usage_rollup_daily_core r
            WHERE r.day BETWEEN ${previous.from}::date AND ${range.to}::date ${scopeSql(caller, "r.department_id")}
            GROUP BY ${column}) s
      ${join}
      ORDER BY abs(s.cost - s.previous) DESC, 1
      LIMIT ${top}`).then((rows) => rows.filter((r) => Number(r.change) !== 0).map((r) => ({ kind, ...r })));
  };
  const [agents, departments] = await Promise.all([by("agent"), by("department")]);
  return [...agents, ...departments].sort((a, b) => Math.abs(Number(b.change)) - Math.abs(Number(a.change))).slice(0, top);
}

export async function overview(caller: Caller, range: DayRange, today: string, top = 5): Promise<Overview> {
  const previous = previousRange(range);
  const where = Prisma.sql`day BETWEEN ${range.from}::date AND ${range.to}::date ${scopeSql(caller, "r.department_id")}`;
  const [current, prior, topDepartments, topAgents, dailyRows, forecasted, moved, unpriced] = await Promise.all([
    totals(caller, range),
    totals(caller, previous),
    db.$queryRaw<{ id: number; key: string; name: string; cost: string; events: bigint }[]>(Prisma.sql`
      SELECT s.id AS "id", coalesce(d.code, 'UNASSIGNED') AS "key", coalesce(d.name, 'Unassigned') AS "name",
             s.cost::text AS "cost", s.events::bigint AS "events"
      FROM (SELECT r.department_id AS id, sum(r.cost) AS cost, sum(r.events) AS events FROM usage_rollup_daily_core r
            WHERE ${where} GROUP BY r.department_id ORDER BY sum(r.cost) DESC, r.department_id LIMIT ${top}) s
      LEFT JOIN departments d ON d.id = s.id ORDER BY s.cost DESC, s.id`),
    db.$queryRaw<{ id: number; key: string; name: string; cost: string; events: bigint }[]>(Prisma.sql`
      SELECT s.id AS "id", a.key AS "key", a.name AS "name", s.cost::text AS "cost", s.events::bigint AS "events"
      FROM (SELECT r.agent_id AS id, sum(r.cost) AS cost, sum(r.events) AS events FROM usage_rollup_daily_core r
            WHERE ${where} GROUP BY r.agent_id ORDER BY sum(r.cost) DESC, r.agent_id LIMIT ${top}) s
      JOIN agents a ON a.id = s.id ORDER BY s.cost DESC, s.id`),
    db.$queryRaw<{ day: string; cost: string; events: bigint }[]>(Prisma.sql`
      SELECT to_char(r.day, 'YYYY-MM-DD') AS "day", sum(r.cost)::text AS "cost", sum(r.events)::bigint AS "events"
      FROM usage_rollup_daily_core r WHERE ${where} GROUP BY r.day`),
    spendForecast(caller, today.slice(0, 7), today),
    movers(caller, range, previous, top),
    unpricedTotals(range, scopeSql(caller, "r.department_id")),
  ]);
  const byDay = new Map(dailyRows.map((r) => [r.day, r]));
  return {
    range,
    previous,
    current,
    prior,
    topDepartments: topDepartments.map((r) => ({ ...r, events: Number(r.events) })),
    topAgents: topAgents.map((r) => ({ ...r, events: Number(r.events) })),
    daily: daysOf(range).map((day) => ({ day, cost: byDay.get(day)?.cost ?? "0", events: Number(byDay.get(day)?.events ?? 0) })),
    forecast: forecasted,
    movers: moved,
    unpriced,
  };
}
