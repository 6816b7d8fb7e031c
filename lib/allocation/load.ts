// Reads what one period's allocation needs (daily rollup, departments, agents, rules) and runs the pure math.
// loadPeriodAllocation is the one source of a month's chargeback figures: a closed month reads its frozen snapshot;
// an open month is computed now, plus the adjustments it carries for closed months before it (carry.ts).
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { allocate, type AllocationLine, type AllocationResult, type UsageRow } from "./allocate";
import { fxSql, type DisplayFx } from "@/lib/currency/display";
import { adjustmentLines, withAdjustments, type CarrySource } from "./carry";
import { Decimal } from "./decimal";
import { monthRange, shiftMonth, type DayRange } from "@/lib/periods";
import { forecastFigures, planFrom, type Forecast, type ForecastPlan } from "@/lib/analytics/forecast";
import { forecastPlanFor } from "@/lib/analytics/forecast-spend";
import type { Driver, Method, Rule } from "./rules";
import { fromSnapshot } from "./snapshot";

export type DepartmentInfo = { id: number; code: string; name: string; parentId: number | null; monthlyBudget: Decimal | null; archived: boolean };
export type AgentInfo = { id: number; key: string; name: string; shared: boolean };
export type CloseInfo = { closedAt: string; closedBy: string | null };

export type PeriodAllocation = {
  period: string;
  from: string;
  to: string;
  /** Set when the month is closed: its figures are the ones frozen at closing. */
  closed: CloseInfo | null;
  result: AllocationResult;
  departments: Map<number, DepartmentInfo>;
  agents: Map<number, AgentInfo>;
  rules: Map<number, Rule>;
  /** Month-end forecasts (lib/analytics/forecast.ts) as of the `today` given to the loader; null for a closed month or without `today`. */
  forecast: { total: Forecast; departments: Map<number, Forecast> } | null;
};

/** A change not saved yet (the rules editor's preview): applied to every computation, closed months' included. */
export type Scenario = { rules?: (rules: Rule[]) => Rule[]; shared?: (sharedAgentIds: Set<number>) => Set<number> };

type Row = { day: string; agentId: number; departmentId: number; cost: string | null; orgCost: string; events: string; tasks: string; quantity: string };

/**
 * Daily usage per agent and booked department from the core daily rollup. With a display currency (`fx`), each row's
 * cost is converted at its local day's rate (lib/currency/display.ts fxSql: exact, not rounded); rows of days with
 * no usable rate come back apart, in the organization currency, never converted at 0 or 1.
 */
export async function usageRows(from: string, to: string, fx: DisplayFx | null = null): Promise<{ rows: UsageRow[]; unconverted: UsageRow[] }> {
  const read = fxSql(fx);
  const found = await db.$queryRaw<Row[]>(Prisma.sql`
    SELECT to_char(r.day, 'YYYY-MM-DD') AS "day", r.agent_id AS "agentId", r.department_id AS "departmentId",
           sum(${read.cost})::text AS "cost", sum(r.cost)::text AS "orgCost", sum(r.events)::text AS "events",
           coalesce(sum(r.events) FILTER (WHERE r.task_type <> ''), 0)::text AS "tasks", sum(r.quantity)::text AS "quantity"
    FROM usage_rollup_daily_core r ${read.join}
    WHERE r.day BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2, 3`);
  const row = (r: Row, cost: string): UsageRow => ({ day: r.day, agentId: r.agentId, departmentId: r.departmentId, cost: new Decimal(cost), events: new Decimal(r.events), tasks: new Decimal(r.tasks), quantity: new Decimal(r.quantity) });
  return {
    rows: found.flatMap((r) => (r.cost === null ? [] : [row(r, r.cost)])),
    unconverted: found.flatMap((r) => (r.cost === null ? [row(r, r.orgCost)] : [])),
  };
}

export function toRule(r: { id: number; agentId: number; method: string; driver: string | null; effectiveFrom: Date; effectiveTo: Date | null; shares: { departmentId: number; percent: Prisma.Decimal | null }[] }): Rule {
  return {
    id: r.id,
    agentId: r.agentId,
    method: r.method as Method,
    driver: r.driver as Driver | null,
    effectiveFrom: r.effectiveFrom.toISOString().slice(0, 10),
    effectiveTo: r.effectiveTo ? r.effectiveTo.toISOString().slice(0, 10) : null,
    shares: r.shares.map((s) => ({ departmentId: s.departmentId, percent: s.percent === null ? null : new Decimal(s.percent.toString()) })),
  };
}

async function metadata() {
  const [departments, agents] = await Promise.all([
    db.department.findMany({ select: { id: true, code: true, name: true, parentId: true, monthlyBudget: true, archivedAt: true } }),
    db.agent.findMany({ select: { id: true, key: true, name: true, shared: true } }),
  ]);
  return {
    departments: new Map<number, DepartmentInfo>(
      departments.map((d) => [
        d.id,
        { id: d.id, code: d.code, name: d.name, parentId: d.parentId, monthlyBudget: d.monthlyBudget === null ? null : new Decimal(d.monthlyBudget.toString()), archived: d.archivedAt !== null },
      ]),
    ),
    agents: new Map<number, AgentInfo>(agents.map((a) => [a.id, a])),
  };
}

type Live = { result: AllocationResult; rules: Map<number, Rule>; forecast: PeriodAllocation["forecast"] };

/**
 * The month computed from today's usage, rules and shared flags (no snapshot, no adjustments); with a forecast plan,
 * also each department's month-end forecast from the same rules applied to the forecast's ranges (the run-rate window
 * may start in the previous month).
 */
async function computeLive(period: string, meta: Awaited<ReturnType<typeof metadata>>, scenario: Scenario, plan: ForecastPlan | null = null): Promise<Live> {
  const { from, to } = monthRange(period);
  const planStart = plan ? planFrom(plan) : null;
  const readFrom = planStart && planStart < from ? planStart : from;
  const [{ rows: usage }, rules] = await Promise.all([
    usageRows(readFrom, to),
    // Rules from before the period matter: the one in force on its first day may start earlier.
    db.allocationRule.findMany({ where: { effectiveFrom: { lte: new Date(`${to}T00:00:00Z`) } }, include: { shares: true } }),
  ]);
  const ruleList = (scenario.rules ?? ((r) => r))(rules.map(toRule));
  const sharedAgentIds = (scenario.shared ?? ((s) => s))(new Set([...meta.agents.values()].filter((a) => a.shared).map((a) => a.id)));
  const departmentCodes = new Map([...meta.departments.values()].map((d) => [d.id, d.code]));
  const within = (range: DayRange | null) => (range ? usage.filter((u) => u.day >= range.from && u.day <= range.to) : []);
  const over = (range: DayRange | null) => allocate({ rows: within(range), sharedAgentIds, rules: ruleList, departmentCodes });
  let forecast: PeriodAllocation["forecast"] = null;
  if (plan) {
    const todayRange = plan.partial ? { from: plan.partial, to: plan.partial } : null;
    const parts = { complete: over(plan.complete), partial: over(todayRange), window: over(plan.window) };
    const exact = (range: DayRange | null) => within(range).reduce((a, u) => a.plus(u.cost), new Decimal(0));
    forecast = {
      // The organization's total from exact costs, as Overview reads them: the same figure to the cent.
      total: forecastFigures(plan, { complete: exact(plan.complete), partial: exact(todayRange), window: exact(plan.window) }),
      departments: new Map(
        [...meta.departments.keys()].map((id) => {
          const of = (r: AllocationResult) => r.departments.get(id)?.exact ?? 0;
          return [id, forecastFigures(plan, { complete: of(parts.complete), partial: of(parts.partial), window: of(parts.window) })];
        }),
      ),
    };
  }
  return { result: over({ from, to }), rules: new Map(ruleList.map((r) => [r.id, r])), forecast };
}

type Closed = { period: string; closedAt: Date; closedBy: string | null; snapshot: ReturnType<typeof fromSnapshot> };

async function closedMonths(): Promise<Map<string, Closed>> {
  const rows = await db.$queryRaw<{ period: string; closedAt: Date; closedBy: string | null; snapshot: unknown }[]>(Prisma.sql`
    SELECT c.period, c.closed_at AS "closedAt", u.email AS "closedBy", c.snapshot
    FROM allocation_closes c LEFT JOIN users u ON u.id = c.closed_by_id`);
  return new Map(rows.map((r) => [r.period, { period: r.period, closedAt: r.closedAt, closedBy: r.closedBy, snapshot: fromSnapshot(r.snapshot) }]));
}

/** Closed months whose changes an open month carries: the closed months directly before it, back to the previous open one. */
function carriedFrom(period: string, closed: Map<string, Closed>): string[] {
  const months: string[] = [];
  for (let m = shiftMonth(period, -1); closed.has(m); m = shiftMonth(m, -1)) months.push(m);
  return months;
}

/** One period's allocation; `today` adds the month-end forecasts of an open month, `scenario` an unsaved change. */
export async function loadPeriodAllocation(period: string, { today, scenario = {} }: { today?: string; scenario?: Scenario } = {}): Promise<PeriodAllocation> {
  const { from, to } = monthRange(period);
  const [meta, closed] = await Promise.all([metadata(), closedMonths()]);
  const own = closed.get(period);
  if (own) {
    const departments = new Map([...meta.departments].map(([id, d]) => [id, { ...d, monthlyBudget: own.snapshot.budgets.has(id) ? own.snapshot.budgets.get(id)! : d.monthlyBudget }]));
    return {
      period, from, to,
      closed: { closedAt: own.closedAt.toISOString(), closedBy: own.closedBy },
      result: own.snapshot.result,
      departments,
      agents: meta.agents,
      rules: own.snapshot.rules,
      forecast: null,
    };
  }
  const sourceMonths = carriedFrom(period, closed);
  const plan = today ? await forecastPlanFor(period, today) : null;
  const [live, ...nows] = await Promise.all([computeLive(period, meta, scenario, plan), ...sourceMonths.map((m) => computeLive(m, meta, scenario))]);
  const frozenAdjustments = [...closed.values()].flatMap((c) => [
    ...[...c.snapshot.result.departments.values()].flatMap((d) => d.lines.filter((l) => l.kind === "adjustment").map((line) => ({ departmentId: d.departmentId, line }))),
    ...c.snapshot.result.unallocatedLines.filter((l) => l.kind === "adjustment").map((line) => ({ departmentId: -1, line })),
  ]);
  const adjustments = sourceMonths.flatMap((m, i) => {
    const source: CarrySource = {
      period: m,
      now: nows[i]!.result,
      frozen: closed.get(m)!.snapshot.result,
      carried: frozenAdjustments.filter((a): a is { departmentId: number; line: AllocationLine } => a.line.adjusts === m),
    };
    return adjustmentLines(source);
  });
  return { period, from, to, closed: null, result: withAdjustments(live.result, adjustments), departments: meta.departments, agents: meta.agents, rules: live.rules, forecast: live.forecast };
}
