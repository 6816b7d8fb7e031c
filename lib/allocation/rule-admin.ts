// Allocation rules are versions: a new rule for an agent applies from its effective date until the next one.
// Months before the current one are closed — rules starting in them cannot be added or removed — so
// re-running a past month always gives the same answer.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { assertDepartmentsInScope } from "@/lib/auth/scope";
import { departmentScope } from "@/lib/analytics/scope";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/api/errors";
import { dayString } from "@/lib/analytics/period";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import { Decimal } from "./decimal";
import { dayIn } from "@/lib/periods";
import { ruleProblems, type Driver, type Method } from "./rules";
import type { RuleResponse, ruleCreate } from "./schemas";

// Department ids are loaded for the scope checks (and listing); shape() leaves them out.
const include = {
  agent: { select: { key: true, name: true, departmentId: true } },
  shares: { select: { percent: true, departmentId: true, department: { select: { code: true } } }, orderBy: { department: { code: "asc" } } },
} satisfies Prisma.AllocationRuleInclude;

function shape(r: Prisma.AllocationRuleGetPayload<{ include: typeof include }>): RuleResponse {
  return {
    id: r.id,
    agent: { key: r.agent.key, name: r.agent.name },
    method: r.method as Method,
    driver: r.driver as Driver | null,
    effectiveFrom: r.effectiveFrom.toISOString().slice(0, 10),
    shares: r.shares.map((s) => ({ department: s.department.code, percent: s.percent === null ? null : s.percent.toString() })),
  };
}

async function firstOpenDay(): Promise<string> {
  return `${dayIn((await orgSettings()).timeZone).slice(0, 7)}-01`;
}

/** How a scoped caller sees the shares of departments outside their scope: one summed entry. */
export const OTHER_DEPARTMENTS = "(other departments)";

/**
 * Rule versions. A department-scoped caller sees only rules that touch their departments (a share, or the
 * agent's default department), with the other departments' shares summed into one OTHER_DEPARTMENTS entry.
 */
export async function listRules(caller: Caller, agentKey?: string): Promise<RuleResponse[]> {
  const scope = departmentScope(caller);
  const rows = await db.allocationRule.findMany({
    where: {
      ...(agentKey ? { agent: { key: agentKey } } : {}),
      ...(scope ? { OR: [{ agent: { departmentId: { in: scope } } }, { shares: { some: { departmentId: { in: scope } } } }] } : {}),
    },
    include,
    orderBy: [{ agent: { key: "asc" } }, { effectiveFrom: "desc" }],
  });
  if (!scope) return rows.map(shape);
  return rows.map((r) => {
    const own = r.shares.filter((s) => scope.includes(s.departmentId));
    const others = r.shares.filter((s) => !scope.includes(s.departmentId));
    const shaped = shape({ ...r, shares: own });
    if (others.length) {
      // Usage-proportional and even splits have no fixed percentages: the summed entry has none either.
      const fixed = others.every((s) => s.percent !== null);
      const sum = fixed ? others.reduce((acc, s) => acc.plus(s.percent!.toString()), new Decimal(0)).toString() : null;
      shaped.shares.push({ department: OTHER_DEPARTMENTS, percent: sum });
    }
    return shaped;
  });
}

export async function createRule(caller: Caller, input: z.infer<typeof ruleCreate>): Promise<RuleResponse> {
  const details: { path: string; message: string }[] = [];
  if (!dayString.safeParse(input.effectiveFrom).success) details.push({ path: "effectiveFrom", message: "is not a valid calendar date" });
  const openFrom = await firstOpenDay();
  if (input.effectiveFrom < openFrom) details.push({ path: "effectiveFrom", message: `must be on or after ${openFrom}: earlier months are closed` });
  const shares = input.shares.map((s) => ({ department: s.department, percent: s.percent ? new Decimal(s.percent) : null }));
  // Department codes stand in as ids (first index of each code) so the pure check sees duplicates.
  const asIds = shares.map((s) => ({ departmentId: shares.findIndex((x) => x.department === s.department), percent: s.percent }));
  details.push(...ruleProblems({ method: input.method, driver: input.driver ?? null, shares: asIds }));
  return db.$transaction(async (tx) => {
    const agent = await tx.agent.findUnique({ where: { key: input.agent }, select: { id: true, shared: true, departmentId: true } });
    const departments = await tx.department.findMany({ where: { code: { in: shares.map((s) => s.department) } }, select: { id: true, code: true, archivedAt: true } });
    // A scoped caller may only split an agent of their own departments among their own departments.
    assertDepartmentsInScope(caller, [agent?.departmentId], `Agent ${input.agent}`);
    assertDepartmentsInScope(caller, shares.map((s) => departments.find((d) => d.code === s.department)?.id), "A department in this rule");
    if (!agent) details.push({ path: "agent", message: `no agent with key ${input.agent}` });
    shares.forEach((s, i) => {
      const d = departments.find((x) => x.code === s.department);
      if (!d) details.push({ path: `shares.${i}.department`, message: `no department with code ${s.department}` });
      else if (d.archivedAt) details.push({ path: `shares.${i}.department`, message: `${s.department} is archived` });
    });
    if (details.length || !agent) throw new BadRequestError("Invalid allocation rule", details);
    const exists = await tx.allocationRule.findUnique({ where: { agentId_effectiveFrom: { agentId: agent.id, effectiveFrom: new Date(`${input.effectiveFrom}T00:00:00Z`) } } });
    if (exists) throw new ConflictError(`${input.agent} already has a rule starting ${input.effectiveFrom}; delete it first`);
    const rule = await tx.allocationRule.create({
      data: {
        agentId: agent.id,
        method: input.method,
        driver: input.driver ?? null,
        effectiveFrom: new Date(`${input.effectiveFrom}T00:00:00Z`),
        shares: { create: shares.map((s) => ({ departmentId: departments.find((d) => d.code === s.department)!.id, percent: s.percent?.toString() ?? null })) },
      },
      include,
    });
    // A rule only means something for a shared agent: creating one shares the agent.
    if (!agent.shared) {
      await tx.agent.update({ where: { id: agent.id }, data: { shared: true } });
      await audit(tx, { actor: caller, action: "agent.update", entity: "agent", entityId: agent.id, before: { shared: false }, after: { shared: true } });
    }
    const result = shape(rule);
    await audit(tx, { actor: caller, action: "allocation_rule.create", entity: "allocation_rule", entityId: rule.id, after: result });
    return result;
  });
}

export async function deleteRule(caller: Caller, id: number): Promise<void> {
  const openFrom = await firstOpenDay();
  await db.$transaction(async (tx) => {
    const rule = await tx.allocationRule.findUnique({ where: { id }, include });
    assertDepartmentsInScope(caller, rule ? [rule.agent.departmentId, ...rule.shares.map((s) => s.departmentId)] : [undefined], `Allocation rule ${id}`);
    if (!rule) throw new NotFoundError(`No allocation rule ${id}`);
    const before = shape(rule);
    if (before.effectiveFrom < openFrom) throw new ConflictError(`Rule ${id} started in a closed month (before ${openFrom}); add a new rule instead`);
    await tx.allocationRule.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "allocation_rule.delete", entity: "allocation_rule", entityId: id, before });
  });
}
