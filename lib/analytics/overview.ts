// Overview headline numbers, all read from the core daily rollup (never raw events). With a display currency each
// local day is converted at its own rate (lib/currency/display.ts); each day and each ranked row is rounded once to the
// display currency's minor unit, the period totals are sums of the rounded days. The forecast stays in the
// organization currency, like budgets.
import "server-only";
import Decimal from "decimal.js";
import { conversionOf, fxSql, type DisplayFx, type FxSql } from "@/lib/currency/display";
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
type RankedRow = { id: number; key: string; name: string; cost: string; orgCost: string; events: bigint };

async function totals(caller: Caller, range: DayRange): Promise<Omit<Totals, "cost">> {
  const [row] = await db.$queryRaw<{ events: bigint; activeAgents: bigint }[]>(Prisma.sql`
    SELECT coalesce(sum(events), 0)::bigint AS "events", count(DISTINCT agent_id)::bigint AS "activeAgents"
    FROM usage_rollup_daily_core
    WHERE day BETWEEN ${range.from}::date AND ${range.to}::date ${scopeSql(caller, "department_id")}`);
  return { events: Number(row?.events ?? 0), activeAgents: Number(row?.activeAgents ?? 0) };
}

/** Σ of day rows in the range: cost (display currency, already rounded per day), and with a display currency orgCost and unconverted. */
function sumDays(days: { day: string; cost: string; orgCost: string; unconverted: string }[], range: DayRange, converting: boolean) {
  const mine = days.filter((d) => d.day >= range.from && d.day <= range.to);
  const total = (k: "cost" | "orgCost" | "unconverted") => mine.reduce((s, d) => s.plus(d[k]), new Decimal(0)).toFixed();
  return converting ? { cost: total("cost"), orgCost: total("orgCost"), unconverted: total("unconverted") } : { cost: total("cost") };
}

async function movers(caller: Caller, range: DayRange, previous: DayRange, top: number, read: FxSql): Promise<Mover[]> {
  const by = (kind: Mover["kind"]) => {
    const [column, join, key] =
      kind === "agent"
        ? [Prisma.raw("r.agent_id"), Prisma.sql`JOIN agents g ON g.id = s.id`, Prisma.sql`g.key`]
        : [Prisma.raw("r.department_id"), Prisma.sql`LEFT JOIN departments g ON g.id = s.id`, Prisma.sql`coalesce(g.code, 'UNASSIGNED')`];
    // Aggregate per id first and join names to the few rows left, not to every rollup row.
    return db.$queryRaw<(Omit<Mover, "kind" | "orgCost" | "orgPreviousCost"> & { orgCost: string; orgPreviousCost: string })[]>(Prisma.sql`
      SELECT ${key} AS "key", coalesce(g.name, 'Unassigned') AS "name",
             s.cost::text AS "cost", s.previous::text AS "previousCost", (s.cost - s.previous)::text AS "change",
             s.org_cost::text AS "orgCost", s.org_previous::text AS "orgPreviousCost"
      FROM (SELECT ${column} AS id,
                   coalesce(sum(${read.cost}) FILTER (WHERE r.day >= ${range.from}::date), 0) AS cost,
                   coalesce(sum(${read.cost}) FILTER (WHERE r.day <= ${previous.to}::date), 0) AS previous,
                   coalesce(sum(r.cost) FILTER (WHERE r.day >= ${range.from}::date), 0) AS org_cost,
                   coalesce(sum(r.cost) FILTER (WHERE r.day <= ${previous.to}::date), 0) AS org_previous
            FROM usage_rollup_daily_core r ${read.join}
            WHERE r.day BETWEEN ${previous.from}::date AND ${range.to}::date ${scopeSql(caller, "r.department_id")}
            GROUP BY ${column}) s
      ${join}
      ORDER BY abs(s.cost - s.previous) DESC, 1
      LIMIT ${top}`).then((rows) =>
      rows
        .map((r) => {
          // Each side rounded once; the change is their difference, as shown.
          const [cost, previousCost] = [read.round(r.cost), read.round(r.previousCost)];
          const { orgCost, orgPreviousCost, ...rest } = r;
          return { kind, ...rest, cost, previousCost, change: new Decimal(cost).minus(previousCost).toFixed(), ...(read.converting && { orgCost, orgPreviousCost }) };
        })
        .filter((r) => !new Decimal(r.change).isZero()),
    );
  };
  const [agents, departments] = await Promise.all([by("agent"), by("department")]);
  return [...agents, ...departments].sort((a, b) => Math.abs(Number(b.change)) - Math.abs(Number(a.change))).slice(0, top);
}

/** `fx`: a display currency's rates for the local days of the range and the previous one (displayFx), or null. */
export async function overview(caller: Caller, range: DayRange, today: string, fx: DisplayFx | null = null, top = 5): Promise<Overview> {
  const previous = previousRange(range);
  const read = fxSql(fx);
  const where = Prisma.sql`r.day BETWEEN ${range.from}::date AND ${range.to}::date ${scopeSql(caller, "r.department_id")}`;
  const ranked = Prisma.sql`sum(${read.cost}) AS cost, sum(r.cost) AS org_cost, sum(r.events) AS events`;
  const [current, prior, topDepartments, topAgents, dailyRows, forecasted, moved, unpriced] = await Promise.all([
    totals(caller, range),
    totals(caller, previous),
    db.$queryRaw<RankedRow[]>(Prisma.sql`
      SELECT s.id AS "id", coalesce(d.code, 'UNASSIGNED') AS "key", coalesce(d.name, 'Unassigned') AS "name",
             coalesce(s.cost, 0)::text AS "cost", s.org_cost::text AS "orgCost", s.events::bigint AS "events"
      FROM (SELECT r.department_id AS id, ${ranked} FROM usage_rollup_daily_core r ${read.join}
            WHERE ${where} GROUP BY r.department_id ORDER BY coalesce(sum(${read.cost}), 0) DESC, r.department_id LIMIT ${top}) s
      LEFT JOIN departments d ON d.id = s.id ORDER BY s.cost DESC NULLS LAST, s.id`),
    db.$queryRaw<RankedRow[]>(Prisma.sql`
      SELECT s.id AS "id", a.key AS "key", a.name AS "name", coalesce(s.cost, 0)::text AS "cost", s.org_cost::text AS "orgCost", s.events::bigint AS "events"
      FROM (SELECT r.agent_id AS id, ${ranked} FROM usage_rollup_daily_core r ${read.join}
            WHERE ${where} GROUP BY r.agent_id ORDER BY coalesce(sum(${read.cost}), 0) DESC, r.agent_id LIMIT ${top}) s
      JOIN agents a ON a.id = s.id ORDER BY s.cost DESC NULLS LAST, s.id`),
    // Both periods' days: each day rounded once, the period totals are their sums.
    db.$queryRaw<{ day: string; cost: string; orgCost: string; unconverted: string; events: bigint }[]>(Prisma.sql`
      SELECT to_char(r.day, 'YYYY-MM-DD') AS "day", coalesce(sum(${read.cost}), 0)::text AS "cost", sum(r.cost)::text AS "orgCost",
             ${read.unconverted}::text AS "unconverted", sum(r.events)::bigint AS "events"
      FROM usage_rollup_daily_core r ${read.join}
      WHERE r.day BETWEEN ${previous.from}::date AND ${range.to}::date ${scopeSql(caller, "r.department_id")} GROUP BY r.day`),
    spendForecast(caller, today.slice(0, 7), today),
    movers(caller, range, previous, top, read),
    unpricedTotals(range, scopeSql(caller, "r.department_id")),
  ]);
  const days = dailyRows.map((d) => ({ ...d, cost: read.round(d.cost) }));
  const byDay = new Map(days.map((r) => [r.day, r]));
  const rankedOut = (r: RankedRow) => ({ id: r.id, key: r.key, name: r.name, cost: read.round(r.cost), events: Number(r.events), ...(fx && { orgCost: r.orgCost }) });
  return {
    range,
    previous,
    orgCurrency: fx?.from ?? null,
    conversion: fx && conversionOf(fx, daysOf(range)),
    current: { ...current, ...sumDays(days, range, fx !== null) },
    prior: { ...prior, ...sumDays(days, previous, fx !== null) },
    topDepartments: topDepartments.map(rankedOut),
    topAgents: topAgents.map(rankedOut),
    daily: daysOf(range).map((day) => {
      const d = byDay.get(day);
      const base = { day, cost: d?.cost ?? "0", events: Number(d?.events ?? 0) };
      return fx ? { ...base, orgCost: d?.orgCost ?? "0", unconverted: d?.unconverted ?? "0", rateDate: fx.rates.get(day)?.date ?? null } : base;
    }),
    forecast: forecasted,
    movers: moved,
    unpriced,
  };
}
