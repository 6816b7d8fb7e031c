// Reads what one period's allocation needs (daily rollup, departments, agents, rules) and runs the pure math.
// loadPeriodAllocation is the one source of a month's chargeback figures: a closed month reads its frozen snapshot;
// an open month is computed now, plus the adjustments it carries for closed months before it (carry.ts).
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { allocate, type AllocationLine, type AllocationResult } from "./allocate";
import { adjustmentLines, withAdjustments, type CarrySource } from "./carry";
import { Decimal } from "./decimal";
import { monthRange, previousMonth } from "./period";
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
};

/** A change not saved yet (the rules editor's preview): applied to every computation, closed months' included. */
export type Scenario = { rules?: (rules: Rule[]) => Rule[]; shared?: (sharedAgentIds: Set<number>) => Set<number> };

type Row = { day: string; agentId: number; departmentId: number; cost: string; events: string; tasks: string; quantity: string };

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

/** The month computed from today's usage, rules and shared flags (no snapshot, no adjustments). */
async function computeLive(period: string, meta: Awaited<ReturnType<typeof metadata>>, scenario: Scenario): Promise<{ result: AllocationResult; rules: Map<number, Rule> }> {
  const { from, to } = monthRange(period);
  const [rows, rules] = await Promise.all([
    db.$queryRaw<Row[]>(Prisma.sql`
      SELECT to_char(day, 'YYYY-MM-DD') AS "day", agent_id AS "agentId", department_id AS "departmentId",
             sum(cost)::text AS "cost", sum(events)::text AS "events",
             coalesce(sum(events) FILTER (WHERE task_type <> ''), 0)::text AS "tasks", sum(quantity)::text AS "quantity"
      FROM usage_rollup_daily_core
      WHERE day BETWEEN ${from}::date AND ${to}::date
      GROUP BY 1, 2, 3`),
    // Rules from before the period matter: the one in force on its first day may start earlier.
    db.allocationRule.findMany({ where: { effectiveFrom: { lte: new Date(`${to}T00:00:00Z`) } }, include: { shares: true } }),
  ]);
  const ruleList = (scenario.rules ?? ((r) => r))(rules.map(toRule));
  const shared = new Set([...meta.agents.values()].filter((a) => a.shared).map((a) => a.id));
  const result = allocate({
    rows: rows.map((r) => ({ day: r.day, agentId: r.agentId, departmentId: r.departmentId, cost: new Decimal(r.cost), events: new Decimal(r.events), tasks: new Decimal(r.tasks), quantity: new Decimal(r.quantity) })),
    sharedAgentIds: (scenario.shared ?? ((s) => s))(shared),
    rules: ruleList,
    departmentCodes: new Map([...meta.departments.values()].map((d) => [d.id, d.code])),
  });
  return { result, rules: new Map(ruleList.map((r) => [r.id, r])) };
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
  for (let m = previousMonth(period); closed.has(m); m = previousMonth(m)) months.push(m);
  return months;
}

export async function loadPeriodAllocation(period: string, scenario: Scenario = {}): Promise<PeriodAllocation> {
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
    };
  }
  const sourceMonths = carriedFrom(period, closed);
  const [live, ...nows] = await Promise.all([computeLive(period, meta, scenario), ...sourceMonths.map((m) => computeLive(m, meta, scenario))]);
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
  return { period, from, to, closed: null, result: withAdjustments(live.result, adjustments), departments: meta.departments, agents: meta.agents, rules: live.rules };
}
