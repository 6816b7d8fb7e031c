// Reads what one period's allocation needs (daily rollup, departments, agents, rules) and runs the pure math.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { allocate, type AllocationResult } from "./allocate";
import { Decimal } from "./decimal";
import { monthRange, type DayRange } from "@/lib/periods";
import { forecastFigures, planFrom, type Forecast } from "@/lib/analytics/forecast";
import { forecastPlanFor } from "@/lib/analytics/forecast-spend";
import type { Driver, Method, Rule } from "./rules";

export type DepartmentInfo = { id: number; code: string; name: string; parentId: number | null; monthlyBudget: Decimal | null; archived: boolean };
export type AgentInfo = { id: number; key: string; name: string; shared: boolean };

export type PeriodAllocation = {
  period: string;
  from: string;
  to: string;
  result: AllocationResult;
  departments: Map<number, DepartmentInfo>;
  agents: Map<number, AgentInfo>;
  rules: Map<number, Rule>;
  /** Month-end forecasts (lib/analytics/forecast.ts) as of the `today` given to the loader, else null. */
  forecast: { total: Forecast; departments: Map<number, Forecast> } | null;
};

type Row = { day: string; agentId: number; departmentId: number; cost: string; events: string; tasks: string; quantity: string };

/**
 * One period's allocation; with `today`, also each department's month-end forecast, from the same rules applied to
 * the forecast's ranges (the run-rate window may start in the previous month).
 */
export async function loadPeriodAllocation(period: string, today?: string): Promise<PeriodAllocation> {
  const { from, to } = monthRange(period);
  const plan = today ? await forecastPlanFor(period, today) : null;
  const planStart = plan ? planFrom(plan) : null;
  const readFrom = planStart && planStart < from ? planStart : from;
  const [rows, departments, agents, rules] = await Promise.all([
    db.$queryRaw<Row[]>(Prisma.sql`
      SELECT to_char(day, 'YYYY-MM-DD') AS "day", agent_id AS "agentId", department_id AS "departmentId",
             sum(cost)::text AS "cost", sum(events)::text AS "events",
             coalesce(sum(events) FILTER (WHERE task_type <> ''), 0)::text AS "tasks", sum(quantity)::text AS "quantity"
      FROM usage_rollup_daily_core
      WHERE day BETWEEN ${readFrom}::date AND ${to}::date
      GROUP BY 1, 2, 3`),
    db.department.findMany({ select: { id: true, code: true, name: true, parentId: true, monthlyBudget: true, archivedAt: true } }),
    db.agent.findMany({ select: { id: true, key: true, name: true, shared: true } }),
    // Rules from before the period matter: the one in force on its first day may start earlier.
    db.allocationRule.findMany({ where: { effectiveFrom: { lte: new Date(`${to}T00:00:00Z`) } }, include: { shares: true } }),
  ]);
  const ruleList: Rule[] = rules.map((r) => ({
    id: r.id,
    agentId: r.agentId,
    method: r.method as Method,
    driver: r.driver as Driver | null,
    effectiveFrom: r.effectiveFrom.toISOString().slice(0, 10),
    shares: r.shares.map((s) => ({ departmentId: s.departmentId, percent: s.percent === null ? null : new Decimal(s.percent.toString()) })),
  }));
  const departmentMap = new Map(
    departments.map((d) => [
      d.id,
      { id: d.id, code: d.code, name: d.name, parentId: d.parentId, monthlyBudget: d.monthlyBudget === null ? null : new Decimal(d.monthlyBudget.toString()), archived: d.archivedAt !== null },
    ]),
  );
  const usage = rows.map((r) => ({ day: r.day, agentId: r.agentId, departmentId: r.departmentId, cost: new Decimal(r.cost), events: new Decimal(r.events), tasks: new Decimal(r.tasks), quantity: new Decimal(r.quantity) }));
  const sharedAgentIds = new Set(agents.filter((a) => a.shared).map((a) => a.id));
  const departmentCodes = new Map(departments.map((d) => [d.id, d.code]));
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
        [...departmentMap.keys()].map((id) => {
          const of = (r: AllocationResult) => r.departments.get(id)?.exact ?? 0;
          return [id, forecastFigures(plan, { complete: of(parts.complete), partial: of(parts.partial), window: of(parts.window) })];
        }),
      ),
    };
  }
  const result = over({ from, to });
  return { period, from, to, result, departments: departmentMap, agents: new Map(agents.map((a) => [a.id, a])), rules: new Map(ruleList.map((r) => [r.id, r])), forecast };
}
