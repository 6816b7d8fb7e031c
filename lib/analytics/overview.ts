// Overview headline numbers, all read from the customer daily rollup (never raw events) in one scan of both periods
// (grouping sets by day, agent and department; the rest is arithmetic here, exact). With a display currency each
// local day is converted at its own rate (lib/currency/display.ts); each day and each ranked row is rounded once to the
// display currency's minor unit, the period totals are sums of the rounded days. The forecast stays in the
// organization currency, like budgets.
import "server-only";
import type Decimal from "decimal.js";
import { conversionOf, fxSql, type DisplayFx, type FxSql } from "@/lib/currency/display";
import { ExactDecimal } from "@/lib/currency/decimal";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Caller } from "@/lib/auth/caller";
import { spendForecast } from "./forecast-spend";
import { daysOf, previousRange, type DayRange } from "./period";
import { scopeSql } from "./scope";
import type { OverviewResponse } from "./overview-schemas";

export type Overview = Omit<OverviewResponse, "currency" | "timeZone">;
export type Mover = OverviewResponse["movers"][number];

/**
 * One grouping row of the single scan: a local day (both periods), or an agent / department in one period (`cur`).
 * `cost` is the converted sum (NULL: no day of the group had a rate), `orgCost` the organization-currency sum.
 */
type Group = {
  kind: "day" | "agent" | "department";
  day: string | null;
  id: number;
  cur: boolean | null;
  events: bigint;
  orgCost: string;
  cost: string | null;
  unconverted: string;
  unpricedEvents: bigint;
  unpricedTokens: bigint;
};

/**
 * Everything the Overview shows of both periods, in one pass (grouping sets) over the day × customer × agent ×
 * department rollup (~2× fewer rows than the core one; the same events, so the same sums), summed per day, agent and
 * department first so that a display currency converts those few sums rather than every rollup row (exact either way).
 */
function scan(caller: Caller, range: DayRange, previous: DayRange, read: FxSql): Promise<Group[]> {
  return db.$queryRaw<Group[]>(Prisma.sql`
    SELECT CASE WHEN GROUPING(s.day) = 0 THEN 'day' WHEN GROUPING(s.agent_id) = 0 THEN 'agent' ELSE 'department' END AS "kind",
           to_char(s.day, 'YYYY-MM-DD') AS "day", coalesce(s.agent_id, s.department_id) AS "id", s.cur AS "cur",
           sum(s.events)::bigint AS "events", sum(s.cost)::text AS "orgCost", sum(s.converted)::text AS "cost",
           coalesce(sum(s.cost) FILTER (WHERE s.converted IS NULL), 0)::text AS "unconverted",
           sum(s.unpriced_events)::bigint AS "unpricedEvents", sum(s.unpriced_tokens)::bigint AS "unpricedTokens"
    FROM (SELECT r.day, r.agent_id, r.department_id, r.events, r.cost, ${read.cost} AS converted, r.day >= ${range.from}::date AS cur,
                 r.unpriced_events, r.unpriced_tokens
          FROM (SELECT r.day, r.agent_id, r.department_id, sum(r.events) AS events, sum(r.cost) AS cost, sum(r.unpriced_events) AS unpriced_events,
                       sum(r.unpriced_input_tokens + r.unpriced_output_tokens + r.unpriced_cache_read_tokens
                           + r.unpriced_cache_creation_tokens + r.unpriced_reasoning_tokens) AS unpriced_tokens
                FROM usage_rollup_daily_customer r
                WHERE r.day BETWEEN ${previous.from}::date AND ${range.to}::date ${scopeSql(caller, "r.department_id")}
                GROUP BY 1, 2, 3) r ${read.join}) s
    GROUP BY GROUPING SETS ((s.day), (s.agent_id, s.cur), (s.department_id, s.cur))`);
}

const sum = <T>(rows: T[], value: (r: T) => Decimal.Value) => rows.reduce((total, r) => total.plus(value(r)), new ExactDecimal(0));
const costOf = (g: Group) => new ExactDecimal(g.cost ?? 0);

/** Σ of day rows: cost (display currency, already rounded per day), and with a display currency orgCost and unconverted. */
function sumDays(days: { cost: string; orgCost: string; unconverted: string }[], converting: boolean) {
  const total = (k: "cost" | "orgCost" | "unconverted") => sum(days, (d) => d[k]).toFixed();
  return converting ? { cost: total("cost"), orgCost: total("orgCost"), unconverted: total("unconverted") } : { cost: total("cost") };
}

type Names = { agents: Map<number, { key: string; name: string }>; departments: Map<number, { key: string; name: string }> };

async function namesOf(agentIds: number[], departmentIds: number[]): Promise<Names> {
  const [agents, departments] = await Promise.all([
    db.agent.findMany({ where: { id: { in: agentIds } }, select: { id: true, key: true, name: true } }),
    db.department.findMany({ where: { id: { in: departmentIds } }, select: { id: true, code: true, name: true } }),
  ]);
  return {
    agents: new Map(agents.map((a) => [a.id, { key: a.key, name: a.name }])),
    departments: new Map(departments.map((d) => [d.id, { key: d.code, name: d.name }])),
  };
}

/** A department id without a department row is the rollup's "no department". */
const UNASSIGNED = { key: "UNASSIGNED", name: "Unassigned" };

/** Largest cost first, then id: the `top` rows of one kind in the current period. */
function ranked(groups: Group[], top: number): Group[] {
  return groups.sort((a, b) => costOf(b).comparedTo(costOf(a)) || a.id - b.id).slice(0, top);
}

/** Per id of one kind: both periods' sums, the `top` largest absolute changes (each side rounded once). */
function moversOf(kind: Mover["kind"], groups: Group[], names: Names["agents"], read: FxSql, top: number): Mover[] {
  const byId = new Map<number, { cur?: Group; prev?: Group }>();
  for (const g of groups) byId.set(g.id, { ...byId.get(g.id), [g.cur ? "cur" : "prev"]: g });
  const label = (id: number) => names.get(id) ?? (kind === "department" ? UNASSIGNED : undefined);
  return [...byId]
    .filter(([id]) => label(id))
    .map(([id, { cur, prev }]) => ({ id, ...label(id)!, cur, prev, delta: (cur ? costOf(cur) : new ExactDecimal(0)).minus(prev ? costOf(prev) : 0).abs() }))
    .sort((a, b) => b.delta.comparedTo(a.delta) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, top)
    .map(({ key, name, cur, prev }) => {
      const [cost, previousCost] = [read.round(cur?.cost ?? "0"), read.round(prev?.cost ?? "0")];
      const org = read.converting && { orgCost: cur?.orgCost ?? "0", orgPreviousCost: prev?.orgCost ?? "0" };
      return { kind, key, name, cost, previousCost, change: new ExactDecimal(cost).minus(previousCost).toFixed(), ...org };
    })
    .filter((m) => !new ExactDecimal(m.change).isZero());
}

/** `fx`: a display currency's rates for the local days of the range and the previous one (displayFx), or null. */
export async function overview(caller: Caller, range: DayRange, today: string, fx: DisplayFx | null = null, top = 5): Promise<Overview> {
  const previous = previousRange(range);
  const read = fxSql(fx);
  const [groups, forecast] = await Promise.all([scan(caller, range, previous, read), spendForecast(caller, today.slice(0, 7), today)]);
  const of = (kind: Group["kind"], cur?: boolean) => groups.filter((g) => g.kind === kind && (cur === undefined || g.cur === cur));
  const [agents, departments] = [of("agent"), of("department")];
  const names = await namesOf([...new Set(agents.map((g) => g.id))], [...new Set(departments.map((g) => g.id))]);

  const days = of("day").map((d) => ({ ...d, day: d.day!, cost: read.round(d.cost ?? "0") }));
  const inRange = (r: DayRange) => days.filter((d) => d.day >= r.from && d.day <= r.to);
  const totals = (r: DayRange, cur: boolean) => ({
    events: Number(sum(inRange(r), (d) => d.events.toString())),
    activeAgents: agents.filter((g) => g.cur === cur).length,
    ...sumDays(inRange(r), fx !== null),
  });
  const rankedOut = (g: Group, label: { key: string; name: string }) => ({ id: g.id, ...label, cost: read.round(g.cost ?? "0"), events: Number(g.events), ...(fx && { orgCost: g.orgCost }) });
  const byDay = new Map(days.map((d) => [d.day, d]));
  const current = inRange(range);
  return {
    range,
    previous,
    orgCurrency: fx?.from ?? null,
    conversion: fx && conversionOf(fx, daysOf(range)),
    current: totals(range, true),
    prior: totals(previous, false),
    topDepartments: ranked(of("department", true), top).map((g) => rankedOut(g, names.departments.get(g.id) ?? UNASSIGNED)),
    topAgents: ranked(of("agent", true).filter((g) => names.agents.has(g.id)), top).map((g) => rankedOut(g, names.agents.get(g.id)!)),
    daily: daysOf(range).map((day) => {
      const d = byDay.get(day);
      const base = { day, cost: d?.cost ?? "0", events: Number(d?.events ?? 0) };
      return fx ? { ...base, orgCost: d?.orgCost ?? "0", unconverted: d?.unconverted ?? "0", rateDate: fx.rates.get(day)?.date ?? null } : base;
    }),
    forecast,
    movers: [...moversOf("agent", agents, names.agents, read, top), ...moversOf("department", departments, names.departments, read, top)]
      .sort((a, b) => Math.abs(Number(b.change)) - Math.abs(Number(a.change)))
      .slice(0, top),
    unpriced: { events: Number(sum(current, (d) => d.unpricedEvents.toString())), tokens: Number(sum(current, (d) => d.unpricedTokens.toString())) },
  };
}
