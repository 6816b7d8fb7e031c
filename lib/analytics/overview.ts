// Overview headline numbers, all read from the daily rollup (never raw events).
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Caller } from "@/lib/auth/caller";
import { daysOf, previousRange, type DayRange } from "./period";
import { scopeSql } from "./scope";

type Totals = { cost: string; events: number; activeAgents: number };
type Ranked = { id: number; key: string; name: string; cost: string; events: number };

export type Overview = {
  range: DayRange;
  previous: DayRange;
  current: Totals;
  prior: Totals;
  topDepartments: Ranked[];
  topAgents: Ranked[];
  daily: { day: string; cost: string; events: number }[];
};

async function totals(caller: Caller, range: DayRange): Promise<Totals> {
  const [row] = await db.$queryRaw<{ cost: string; events: bigint; activeAgents: bigint }[]>(Prisma.sql`
    SELECT coalesce(sum(cost), 0)::text AS "cost", coalesce(sum(events), 0)::bigint AS "events",
           count(DISTINCT agent_id)::bigint AS "activeAgents"
    FROM usage_rollup_daily
    WHERE day BETWEEN ${range.from}::date AND ${range.to}::date ${scopeSql(caller, "department_id")}`);
  return { cost: row?.cost ?? "0", events: Number(row?.events ?? 0), activeAgents: Number(row?.activeAgents ?? 0) };
}

export async function overview(caller: Caller, range: DayRange, top = 5): Promise<Overview> {
  const previous = previousRange(range);
  const where = Prisma.sql`day BETWEEN ${range.from}::date AND ${range.to}::date ${scopeSql(caller, "r.department_id")}`;
  const [current, prior, topDepartments, topAgents, dailyRows] = await Promise.all([
    totals(caller, range),
    totals(caller, previous),
    db.$queryRaw<{ id: number; key: string; name: string; cost: string; events: bigint }[]>(Prisma.sql`
      SELECT r.department_id AS "id", coalesce(d.code, 'UNASSIGNED') AS "key", coalesce(d.name, 'Unassigned') AS "name",
             sum(r.cost)::text AS "cost", sum(r.events)::bigint AS "events"
      FROM usage_rollup_daily r LEFT JOIN departments d ON d.id = r.department_id
      WHERE ${where}
      GROUP BY 1, 2, 3 ORDER BY sum(r.cost) DESC, 1 LIMIT ${top}`),
    db.$queryRaw<{ id: number; key: string; name: string; cost: string; events: bigint }[]>(Prisma.sql`
      SELECT r.agent_id AS "id", a.key AS "key", a.name AS "name", sum(r.cost)::text AS "cost", sum(r.events)::bigint AS "events"
      FROM usage_rollup_daily r JOIN agents a ON a.id = r.agent_id
      WHERE ${where}
      GROUP BY 1, 2, 3 ORDER BY sum(r.cost) DESC, 1 LIMIT ${top}`),
    db.$queryRaw<{ day: string; cost: string; events: bigint }[]>(Prisma.sql`
      SELECT to_char(r.day, 'YYYY-MM-DD') AS "day", sum(r.cost)::text AS "cost", sum(r.events)::bigint AS "events"
      FROM usage_rollup_daily r WHERE ${where} GROUP BY 1`),
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
  };
}
