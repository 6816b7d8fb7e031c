// Allocation rules are versions: a new rule for an agent applies from its effective date until the next one (or its
// own end date). Any date may be chosen: a closed month keeps its figures and the change reaches the next open month
// as adjustments (close.ts). Every change can be previewed first with exactly the computation that saving applies.
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
import { Decimal } from "./decimal";
import { toRule } from "./load";
import { overlapProblems, ruleProblems, type Driver, type Method, type Rule } from "./rules";
import type { RuleResponse, ruleCreate, ruleEnd } from "./schemas";

type Tx = Prisma.TransactionClient;

// Department ids are loaded for the scope checks (and listing); shape() leaves them out.
const include = {
  agent: { select: { key: true, name: true, departmentId: true } },
  shares: { select: { percent: true, departmentId: true, department: { select: { code: true } } }, orderBy: { department: { code: "asc" } } },
} satisfies Prisma.AllocationRuleInclude;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const date = (s: string) => new Date(`${s}T00:00:00Z`);

function shape(r: Prisma.AllocationRuleGetPayload<{ include: typeof include }>): RuleResponse {
  return {
    id: r.id,
    agent: { key: r.agent.key, name: r.agent.name },
    method: r.method as Method,
    driver: r.driver as Driver | null,
    effectiveFrom: day(r.effectiveFrom)!,
    effectiveTo: day(r.effectiveTo),
    shares: r.shares.map((s) => ({ department: s.department.code, percent: s.percent === null ? null : s.percent.toString() })),
  };
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

async function versionsOf(tx: Tx, agentId: number) {
  const rows = await tx.allocationRule.findMany({ where: { agentId }, select: { id: true, effectiveFrom: true, effectiveTo: true } });
  return rows.map((r) => ({ id: r.id, effectiveFrom: day(r.effectiveFrom)!, effectiveTo: day(r.effectiveTo) }));
}

export type CheckedRule = { agent: { id: number; shared: boolean }; rule: Rule };

/**
 * Everything that makes a new version valid — the same checks for saving and for previewing: the zod schema has
 * run; here the calendar, the method's shares, the departments, the caller's scope and overlaps with other versions.
 */
export async function checkRule(tx: Tx, caller: Caller, input: z.infer<typeof ruleCreate>): Promise<CheckedRule> {
  const details: { path: string; message: string }[] = [];
  if (!dayString.safeParse(input.effectiveFrom).success) details.push({ path: "effectiveFrom", message: "is not a valid calendar date" });
  if (input.effectiveTo && !dayString.safeParse(input.effectiveTo).success) details.push({ path: "effectiveTo", message: "is not a valid calendar date" });
  const shares = input.shares.map((s) => ({ department: s.department, percent: s.percent ? new Decimal(s.percent) : null }));
  // Department codes stand in as ids (first index of each code) so the pure check sees duplicates.
  const asIds = shares.map((s) => ({ departmentId: shares.findIndex((x) => x.department === s.department), percent: s.percent }));
  details.push(...ruleProblems({ method: input.method, driver: input.driver ?? null, shares: asIds }));
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
  if (agent) {
    const versions = await versionsOf(tx, agent.id);
    if (versions.some((v) => v.effectiveFrom === input.effectiveFrom)) throw new ConflictError(`${input.agent} already has a rule starting ${input.effectiveFrom}; delete it first`);
    details.push(...overlapProblems({ effectiveFrom: input.effectiveFrom, effectiveTo: input.effectiveTo ?? null }, versions));
  }
  if (details.length || !agent) throw new BadRequestError("Invalid allocation rule", details);
  return {
    agent: { id: agent.id, shared: agent.shared },
    rule: {
      id: 0,
      agentId: agent.id,
      method: input.method,
      driver: input.driver ?? null,
      effectiveFrom: input.effectiveFrom,
      effectiveTo: input.effectiveTo ?? null,
      shares: shares.map((s) => ({ departmentId: departments.find((d) => d.code === s.department)!.id, percent: s.percent })),
    },
  };
}

export async function createRule(caller: Caller, input: z.infer<typeof ruleCreate>): Promise<RuleResponse> {
  return db.$transaction(async (tx) => {
    const { agent, rule: checked } = await checkRule(tx, caller, input);
    const rule = await tx.allocationRule.create({
      data: {
        agentId: agent.id,
        method: checked.method,
        driver: checked.driver,
        effectiveFrom: date(checked.effectiveFrom),
        effectiveTo: checked.effectiveTo ? date(checked.effectiveTo) : null,
        shares: { create: checked.shares.map((s) => ({ departmentId: s.departmentId, percent: s.percent?.toString() ?? null })) },
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

async function ruleInScope(tx: Tx, caller: Caller, id: number) {
  const rule = await tx.allocationRule.findUnique({ where: { id }, include });
  assertDepartmentsInScope(caller, rule ? [rule.agent.departmentId, ...rule.shares.map((s) => s.departmentId)] : [undefined], `Allocation rule ${id}`);
  if (!rule) throw new NotFoundError(`No allocation rule ${id}`);
  return rule;
}

/** Checks an end date (null = no end) for rule `id`; returns the rule as it would be. */
export async function checkEnd(tx: Tx, caller: Caller, id: number, input: z.infer<typeof ruleEnd>): Promise<Rule> {
  const row = await ruleInScope(tx, caller, id);
  const rule = toRule(row);
  const details = input.effectiveTo && !dayString.safeParse(input.effectiveTo).success ? [{ path: "effectiveTo", message: "is not a valid calendar date" }] : [];
  details.push(...overlapProblems({ id, effectiveFrom: rule.effectiveFrom, effectiveTo: input.effectiveTo }, await versionsOf(tx, row.agentId)));
  if (details.length) throw new BadRequestError("Invalid end date", details);
  return { ...rule, effectiveTo: input.effectiveTo };
}

export async function endRule(caller: Caller, id: number, input: z.infer<typeof ruleEnd>): Promise<RuleResponse> {
  return db.$transaction(async (tx) => {
    const before = shape(await ruleInScope(tx, caller, id));
    await checkEnd(tx, caller, id, input);
    const after = shape(await tx.allocationRule.update({ where: { id }, data: { effectiveTo: input.effectiveTo ? date(input.effectiveTo) : null }, include }));
    await audit(tx, { actor: caller, action: "allocation_rule.end", entity: "allocation_rule", entityId: id, before: { effectiveTo: before.effectiveTo }, after: { effectiveTo: after.effectiveTo } });
    return after;
  });
}

export async function deleteRule(caller: Caller, id: number): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = shape(await ruleInScope(tx, caller, id));
    await tx.allocationRule.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "allocation_rule.delete", entity: "allocation_rule", entityId: id, before });
  });
}

export { ruleInScope };
