// Budget limits for the admin pages and API: create, list with the current period's spend, change, delete. Audited.
import "server-only";
import { audit } from "@/lib/audit";
import { BadRequestError, ForbiddenError, NotFoundError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { budgetCache, reloadBudgetConfig } from "./service";
import type { BudgetLimitView } from "./schemas";
import type { z } from "zod";
import type { budgetLimitCreate, budgetLimitListQuery, budgetLimitUpdate } from "./schemas";

const include = { department: { select: { code: true } }, agent: { select: { key: true } }, apiKey: { select: { prefix: true } } } satisfies Prisma.BudgetLimitInclude;
type Row = Prisma.BudgetLimitGetPayload<{ include: typeof include }>;

function orgWideOnly(caller: Caller) {
  // Limits span the whole organization (a key or agent is not one department's): not for department-scoped users.
  if (isDepartmentScoped(caller)) throw new ForbiddenError("Budget limits are organisation-wide; department-scoped users cannot see or change them");
}

async function views(rows: Row[]): Promise<BudgetLimitView[]> {
  const cache = budgetCache();
  await cache.start();
  await reloadBudgetConfig(); // this request's own change is visible at once
  return rows.map((r) => {
    const cached = cache.config!.limits.find((l) => l.id === r.id);
    const w = cache.window(r.period as "day", cache.now());
    return {
      id: r.id,
      scope: r.scope as BudgetLimitView["scope"],
      target: r.department?.code ?? r.agent?.key ?? r.apiKey?.prefix ?? "",
      targetId: (r.departmentId ?? r.agentId ?? r.apiKeyId)!,
      period: r.period as BudgetLimitView["period"],
      soft: r.soft?.toFixed(2) ?? null,
      effectiveSoft: cached?.soft?.toFixed(2) ?? r.soft?.toFixed(2) ?? null,
      hard: r.hard?.toFixed(2) ?? null,
      failMode: r.failMode as BudgetLimitView["failMode"],
      spent: cached ? cache.spent(cached, w).toFixed(2) : "0.00",
      periodStart: w.from,
      resetsAt: w.resetsAt.toISOString(),
    };
  });
}

export async function listBudgetLimits(caller: Caller, query: z.infer<typeof budgetLimitListQuery>): Promise<BudgetLimitView[]> {
  orgWideOnly(caller);
  const where: Prisma.BudgetLimitWhereInput = query.scope ? { scope: query.scope } : {};
  if (query.target !== undefined) where.OR = [{ department: { code: query.target } }, { agent: { key: query.target } }, { apiKey: { prefix: query.target } }];
  return views(await db.budgetLimit.findMany({ where, include, orderBy: [{ scope: "asc" }, { id: "asc" }] }));
}

async function resolveTarget(scope: string, target: string | number) {
  if (scope === "department") {
    const d = await db.department.findUnique({ where: { code: String(target) }, select: { id: true } });
    if (!d) throw new BadRequestError("Invalid request body", [{ path: "target", message: `Unknown department '${target}'` }]);
    return { departmentId: d.id };
  }
  if (scope === "agent") {
    const a = await db.agent.findUnique({ where: { key: String(target) }, select: { id: true } });
    if (!a) throw new BadRequestError("Invalid request body", [{ path: "target", message: `Unknown agent '${target}'` }]);
    return { agentId: a.id };
  }
  const k = await db.apiKey.findFirst({ where: typeof target === "number" ? { id: target } : { prefix: target }, select: { id: true, revokedAt: true } });
  if (!k || k.revokedAt) throw new BadRequestError("Invalid request body", [{ path: "target", message: `No active API key '${target}'` }]);
  return { apiKeyId: k.id };
}

function checkLevels(soft: string | null | undefined, hard: string | null | undefined, needOne: boolean) {
  if (needOne && soft == null && hard == null) throw new BadRequestError("Invalid request body", [{ path: "hard", message: "Set a soft level, a hard level, or both" }]);
  if (soft != null && hard != null && new Prisma.Decimal(hard).lt(soft)) throw new BadRequestError("Invalid request body", [{ path: "hard", message: "must not be below the soft level" }]);
}

export async function createBudgetLimit(caller: Caller, input: z.infer<typeof budgetLimitCreate>): Promise<BudgetLimitView> {
  orgWideOnly(caller);
  // A department's month limit may leave soft empty: its monthly budget is the soft level then.
  checkLevels(input.soft, input.hard, !(input.scope === "department" && input.period === "month"));
  const target = await resolveTarget(input.scope, input.target);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.budgetLimit.create({ data: { scope: input.scope, period: input.period, soft: input.soft ?? null, hard: input.hard ?? null, failMode: input.failMode, ...target }, include });
    await audit(tx, { actor: caller, action: "budget_limit.create", entity: "budget_limit", entityId: created.id, after: created });
    return created;
  });
  return (await views([row]))[0]!;
}

export async function updateBudgetLimit(caller: Caller, id: number, input: z.infer<typeof budgetLimitUpdate>): Promise<BudgetLimitView> {
  orgWideOnly(caller);
  const row = await db.$transaction(async (tx) => {
    const before = await tx.budgetLimit.findUnique({ where: { id }, include });
    if (!before) throw new NotFoundError(`No budget limit ${id}`);
    const soft = input.soft === undefined ? before.soft?.toFixed(2) : input.soft;
    const hard = input.hard === undefined ? before.hard?.toFixed(2) : input.hard;
    checkLevels(soft, hard, !(before.scope === "department" && before.period === "month"));
    const after = await tx.budgetLimit.update({ where: { id }, data: { soft: soft ?? null, hard: hard ?? null, ...(input.failMode ? { failMode: input.failMode } : {}) }, include });
    await audit(tx, { actor: caller, action: "budget_limit.update", entity: "budget_limit", entityId: id, before, after });
    return after;
  });
  return (await views([row]))[0]!;
}

export async function deleteBudgetLimit(caller: Caller, id: number): Promise<{ deleted: true }> {
  orgWideOnly(caller);
  await db.$transaction(async (tx) => {
    const before = await tx.budgetLimit.findUnique({ where: { id } });
    if (!before) throw new NotFoundError(`No budget limit ${id}`);
    await tx.budgetLimit.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "budget_limit.delete", entity: "budget_limit", entityId: id, before });
  });
  return { deleted: true };
}
