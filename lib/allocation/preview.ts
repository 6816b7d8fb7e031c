// What a rule change (or marking an agent shared) would do to a month, computed without saving: the same
// loadPeriodAllocation that the pages read, once as things are and once with the change applied in memory.
// For a closed month the change shows where it lands: the next open month, as adjustments.
import "server-only";
import type { z } from "zod";
import type { Caller } from "@/lib/auth/caller";
import { assertDepartmentsInScope } from "@/lib/auth/scope";
import { departmentScope } from "@/lib/analytics/scope";
import { NotFoundError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import { roundCents } from "./apportion";
import { Decimal, ZERO, money } from "./decimal";
import { loadPeriodAllocation, type Scenario } from "./load";
import { shiftMonth } from "@/lib/periods";
import { checkEnd, checkRule, ruleInScope } from "./rule-admin";
import type { PreviewResponse, ShareImpactResponse, rulePreview } from "./schemas";

/** The rule id a new, unsaved version carries in a preview. */
const UNSAVED = -1;

async function scenarioOf(caller: Caller, change: z.infer<typeof rulePreview>["change"]): Promise<Scenario> {
  return db.$transaction(async (tx) => {
    if (change.kind === "create") {
      const { agent, rule } = await checkRule(tx, caller, change.rule);
      return { rules: (rules) => [...rules, { ...rule, id: UNSAVED }], shared: (s) => new Set([...s, agent.id]) };
    }
    if (change.kind === "end") {
      const ended = await checkEnd(tx, caller, change.id, { effectiveTo: change.effectiveTo });
      return { rules: (rules) => rules.map((r) => (r.id === ended.id ? ended : r)) };
    }
    if (change.kind === "delete") {
      await ruleInScope(tx, caller, change.id);
      return { rules: (rules) => rules.filter((r) => r.id !== change.id) };
    }
    const agent = await tx.agent.findUnique({ where: { key: change.agent }, select: { id: true, departmentId: true } });
    assertDepartmentsInScope(caller, [agent?.departmentId], `Agent ${change.agent}`);
    if (!agent) throw new NotFoundError(`No agent with key ${change.agent}`);
    return { shared: (s) => new Set([...s, agent.id]) };
  });
}

export async function previewChange(caller: Caller, input: z.infer<typeof rulePreview>): Promise<PreviewResponse> {
  const scenario = await scenarioOf(caller, input.change);
  const closedPeriods = new Set((await db.allocationClose.findMany({ select: { period: true } })).map((c) => c.period));
  let period = input.period;
  while (closedPeriods.has(period)) period = shiftMonth(period, 1);
  const [before, after, org] = await Promise.all([loadPeriodAllocation(period), loadPeriodAllocation(period, { scenario }), orgSettings()]);
  const scope = departmentScope(caller);
  const ids = [...new Set([...before.result.departments.keys(), ...after.result.departments.keys()])].filter((id) => !scope || scope.includes(id));
  const departments = ids
    .map((id) => {
      const info = before.departments.get(id);
      const b = before.result.departments.get(id)?.total ?? ZERO;
      const a = after.result.departments.get(id)?.total ?? ZERO;
      return { code: info?.code ?? `#${id}`, name: info?.name ?? "Unknown department", before: money(b), after: money(a), change: money(a.minus(b)) };
    })
    .filter((d) => d.before !== "0.00" || d.after !== "0.00")
    .sort((x, y) => x.code.localeCompare(y.code));
  return {
    requested: input.period,
    period,
    requestedClosed: period !== input.period,
    currency: org.currency,
    departments,
    unallocated: scope ? null : { before: money(before.result.unallocated), after: money(after.result.unallocated), change: money(after.result.unallocated.minus(before.result.unallocated)) },
  };
}

/** Months in which an agent has cost, and whether each is closed: what marking it shared would change. */
export async function shareImpact(caller: Caller, agentKey: string): Promise<ShareImpactResponse> {
  const agent = await db.agent.findUnique({ where: { key: agentKey }, select: { id: true, departmentId: true, shared: true } });
  assertDepartmentsInScope(caller, [agent?.departmentId], `Agent ${agentKey}`);
  if (!agent) throw new NotFoundError(`No agent with key ${agentKey}`);
  const [months, rules] = await Promise.all([
    db.$queryRaw<{ period: string; cost: string; closed: boolean }[]>(Prisma.sql`
      SELECT to_char(r.day, 'YYYY-MM') AS "period", sum(r.cost)::text AS "cost", (c.period IS NOT NULL) AS "closed"
      FROM usage_rollup_daily_core r LEFT JOIN allocation_closes c ON c.period = to_char(r.day, 'YYYY-MM')
      WHERE r.agent_id = ${agent.id}
      GROUP BY 1, 3 HAVING sum(r.cost) <> 0 ORDER BY 1`),
    db.allocationRule.count({ where: { agentId: agent.id } }),
  ]);
  return {
    agent: agentKey,
    shared: agent.shared,
    rules,
    months: months.map((m) => ({ period: m.period, cost: money(roundCents(new Decimal(m.cost))), closed: m.closed })),
  };
}
