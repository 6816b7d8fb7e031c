// The cost-center tree: create, rename, re-parent, archive, owners, budgets and alert thresholds — each change audited.
// Departments are archived, never deleted, so events keep the department they were booked to.
import "server-only";
import type { z } from "zod";
import { evaluateAndNotify } from "@/lib/alerts/schedule";
import { audit } from "@/lib/audit";
import { departmentScope } from "@/lib/analytics/scope";
import type { Caller } from "@/lib/auth/caller";
import { assertDepartmentsInScope } from "@/lib/auth/scope";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { agentAssignment, budgetUpdate, departmentCreate, DepartmentResponse, departmentUpdate } from "./schemas";

const include = {
  parent: { select: { code: true } },
  owner: { select: { email: true, name: true } },
  budgetThresholds: { select: { basis: true, percent: true }, orderBy: [{ basis: "asc" }, { percent: "asc" }] },
  agents: { select: { key: true, name: true, shared: true }, orderBy: { key: "asc" } },
} satisfies Prisma.DepartmentInclude;

type Loaded = Prisma.DepartmentGetPayload<{ include: typeof include }>;
type Tx = Prisma.TransactionClient;

function shape(d: Loaded): DepartmentResponse {
  return {
    id: d.id,
    code: d.code,
    name: d.name,
    parent: d.parent?.code ?? null,
    owner: d.owner,
    monthlyBudget: d.monthlyBudget === null ? null : d.monthlyBudget.toFixed(2),
    thresholds: d.budgetThresholds.map((t) => ({ basis: t.basis as "spend" | "forecast", percent: t.percent })),
    archived: d.archivedAt !== null,
    agents: d.agents,
  };
}

export async function listDepartments(caller: Caller): Promise<DepartmentResponse[]> {
  const scope = departmentScope(caller);
  const rows = await db.department.findMany({ where: scope ? { id: { in: scope } } : {}, include, orderBy: { code: "asc" } });
  return rows.map(shape);
}

/** The department a change names; a scoped caller gets 403 for any code outside their departments, existing or not. */
async function byCode(tx: Tx, caller: Caller, code: string): Promise<Loaded> {
  const d = await tx.department.findUnique({ where: { code }, include });
  assertDepartmentsInScope(caller, [d?.id], `Department ${code}`);
  if (!d) throw new NotFoundError(`No department with code ${code}`);
  return d;
}

async function ownerId(tx: Tx, email: string | null | undefined): Promise<number | null | undefined> {
  if (email === undefined || email === null) return email;
  const user = await tx.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true } });
  if (!user) throw new BadRequestError("Invalid request body", [{ path: "ownerEmail", message: `no user with email ${email}` }]);
  return user.id;
}

/** The new parent must exist, be active, and not be the department itself or one of its descendants. */
async function parentId(tx: Tx, caller: Caller, parentCode: string | null | undefined, selfId?: number): Promise<number | null | undefined> {
  if (parentCode === undefined || parentCode === null) return parentCode;
  const parent = await tx.department.findUnique({ where: { code: parentCode }, select: { id: true, archivedAt: true } });
  assertDepartmentsInScope(caller, [parent?.id], `Department ${parentCode}`);
  if (!parent) throw new BadRequestError("Invalid request body", [{ path: "parent", message: `no department with code ${parentCode}` }]);
  if (parent.archivedAt) throw new BadRequestError("Invalid request body", [{ path: "parent", message: `${parentCode} is archived` }]);
  if (selfId !== undefined) {
    const ancestors = await tx.$queryRaw<{ id: number }[]>`
      WITH RECURSIVE up AS (SELECT id, parent_id FROM departments WHERE id = ${parent.id}
        UNION SELECT d.id, d.parent_id FROM departments d JOIN up ON d.id = up.parent_id)
      SELECT id FROM up`;
    if (ancestors.some((a) => a.id === selfId)) {
      throw new BadRequestError("Invalid request body", [{ path: "parent", message: "would make the department its own ancestor" }]);
    }
  }
  return parent.id;
}

export async function createDepartment(caller: Caller, input: z.infer<typeof departmentCreate>): Promise<DepartmentResponse> {
  return db.$transaction(async (tx) => {
    if (await tx.department.findUnique({ where: { code: input.code }, select: { id: true } })) {
      throw new ConflictError(`A department with code ${input.code} already exists`);
    }
    const created = await tx.department.create({
      data: {
        code: input.code,
        name: input.name,
        parentId: await parentId(tx, caller, input.parent),
        ownerId: await ownerId(tx, input.ownerEmail),
        monthlyBudget: input.monthlyBudget ?? null,
      },
      include,
    });
    const result = shape(created);
    await audit(tx, { actor: caller, action: "department.create", entity: "department", entityId: created.id, after: result });
    return result;
  });
}

export async function updateDepartment(caller: Caller, code: string, input: z.infer<typeof departmentUpdate>): Promise<DepartmentResponse> {
  return db.$transaction(async (tx) => {
    const before = await byCode(tx, caller, code);
    if (input.archived === true && !before.archivedAt) {
      const activeChildren = await tx.department.count({ where: { parentId: before.id, archivedAt: null } });
      if (activeChildren > 0) throw new ConflictError(`${code} has ${activeChildren} active sub-department(s); archive or move them first`);
    }
    const updated = await tx.department.update({
      where: { id: before.id },
      data: {
        name: input.name,
        parentId: await parentId(tx, caller, input.parent, before.id),
        ownerId: await ownerId(tx, input.ownerEmail),
        archivedAt: input.archived === undefined ? undefined : input.archived ? (before.archivedAt ?? new Date()) : null,
      },
      include,
    });
    const result = shape(updated);
    const action = input.archived === true && !before.archivedAt ? "department.archive" : input.archived === false && before.archivedAt ? "department.unarchive" : "department.update";
    await audit(tx, { actor: caller, action, entity: "department", entityId: before.id, before: shape(before), after: result });
    return result;
  });
}

/**
 * A new budget or ladder is judged at once, so the Allocation page's alerts match the budget it shows; the
 * evaluation is idempotent and serialized, and a failure leaves the change saved for the next scheduled run.
 */
export async function setBudget(caller: Caller, code: string, input: z.infer<typeof budgetUpdate>): Promise<DepartmentResponse> {
  const result = await saveBudget(caller, code, input);
  await evaluateAndNotify().catch((error: Error) => log.warn("alert evaluation after a budget change failed", { error: error.message }));
  return result;
}

async function saveBudget(caller: Caller, code: string, input: z.infer<typeof budgetUpdate>): Promise<DepartmentResponse> {
  return db.$transaction(async (tx) => {
    const before = await byCode(tx, caller, code);
    if (input.thresholds) {
      const keys = input.thresholds.map((t) => `${t.basis}:${t.percent}`);
      if (new Set(keys).size !== keys.length) throw new BadRequestError("Invalid request body", [{ path: "thresholds", message: "lists a threshold more than once" }]);
      await tx.budgetThreshold.deleteMany({ where: { departmentId: before.id } });
      await tx.budgetThreshold.createMany({ data: input.thresholds.map((t) => ({ departmentId: before.id, ...t })) });
    }
    const updated = await tx.department.update({ where: { id: before.id }, data: { monthlyBudget: input.monthlyBudget }, include });
    const result = shape(updated);
    await audit(tx, { actor: caller, action: "department.budget", entity: "department", entityId: before.id, before: shape(before), after: result });
    return result;
  });
}

/** Makes the department the agent's default: future events are booked to it; past events keep theirs. */
export async function assignAgent(caller: Caller, code: string, input: z.infer<typeof agentAssignment>): Promise<DepartmentResponse> {
  return db.$transaction(async (tx) => {
    const department = await byCode(tx, caller, code);
    if (department.archivedAt) throw new ConflictError(`${code} is archived`);
    const agent = await tx.agent.findUnique({ where: { key: input.agent }, select: { id: true, key: true, departmentId: true } });
    assertDepartmentsInScope(caller, [agent?.departmentId], `Agent ${input.agent}`);
    if (!agent) throw new BadRequestError("Invalid request body", [{ path: "agent", message: `no agent with key ${input.agent}` }]);
    await tx.agent.update({ where: { id: agent.id }, data: { departmentId: department.id } });
    await audit(tx, { actor: caller, action: "agent.assign_department", entity: "agent", entityId: agent.id, before: { departmentId: agent.departmentId }, after: { departmentId: department.id, department: code } });
    return shape(await byCode(tx, caller, code));
  });
}
