// Reference data admins maintain: agents, task types (human baselines), model prices. All writes audited.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import { recordPriceRowChange } from "@/lib/pricing/admin";
import type { Caller } from "@/lib/auth/caller";
import { departmentScope } from "@/lib/analytics/scope";
import { ROW_PROBE, checkRowCap } from "@/lib/api/limits";
import { assertDepartmentsInScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import type { agentCreate, agentUpdate, modelPriceCreate, modelPriceUpdate, taskTypeCreate, taskTypeUpdate } from "./schemas";

const nullableDate = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : new Date(v));

// Agents. A department-scoped caller only sees agents whose default department is in scope.
export async function listAgents(caller: Caller) {
  const scope = departmentScope(caller);
  // Ingestion creates agents on first sight, so the list has no natural bound.
  const agents = await db.agent.findMany({ where: scope ? { departmentId: { in: scope } } : {}, orderBy: { key: "asc" }, take: ROW_PROBE });
  checkRowCap(agents.length, "agents", "ask for one agent at /api/v1/agents/{key}");
  return agents;
}

export async function createAgent(caller: Caller, input: z.output<typeof agentCreate>) {
  assertDepartmentsInScope(caller, [input.departmentId], "An agent without a department, or in that department,");
  return db.$transaction(async (tx) => {
    const agent = await tx.agent.create({ data: input });
    await audit(tx, { actor: caller, action: "agent.create", entity: "agent", entityId: agent.id, after: agent });
    return agent;
  });
}

/** Agents are addressed by key, the identifier sources send in events. */
export async function updateAgent(caller: Caller, key: string, input: z.output<typeof agentUpdate>) {
  return db.$transaction(async (tx) => {
    const before = await tx.agent.findUnique({ where: { key } });
    // Both the agent's department and the one it moves to must be the caller's.
    assertDepartmentsInScope(caller, [before?.departmentId, ...(input.departmentId === undefined ? [] : [input.departmentId])], `Agent ${key}`);
    if (!before) throw new NotFoundError("No such agent");
    const after = await tx.agent.update({ where: { key }, data: input });
    await audit(tx, { actor: caller, action: "agent.update", entity: "agent", entityId: before.id, before, after });
    return after;
  });
}

// Task types.
export async function listTaskTypes() {
  return db.taskType.findMany({ orderBy: { key: "asc" } });
}

export async function createTaskType(caller: Caller, input: z.output<typeof taskTypeCreate>) {
  return db.$transaction(async (tx) => {
    // The baseline it starts with is the default that "reset" restores.
    const taskType = await tx.taskType.create({ data: { ...input, defaultBaselineMinutes: input.baselineMinutes, defaultLoadedHourlyCost: input.loadedHourlyCost } });
    await audit(tx, { actor: caller, action: "task_type.create", entity: "task_type", entityId: taskType.id, after: taskType });
    return taskType;
  });
}

export async function updateTaskType(caller: Caller, id: number, input: z.output<typeof taskTypeUpdate>) {
  return db.$transaction(async (tx) => {
    const before = await tx.taskType.findUnique({ where: { id } });
    if (!before) throw new NotFoundError("No such task type");
    const after = await tx.taskType.update({ where: { id }, data: input });
    await audit(tx, { actor: caller, action: "task_type.update", entity: "task_type", entityId: id, before, after });
    return after;
  });
}

// Model prices.
/** The organization's own rows (custom models, overrides); catalog rows are listed by /api/v1/pricing/prices. */
export async function listModelPrices(source: "manual" | "catalog" = "manual") {
  return db.modelPrice.findMany({ where: { source }, orderBy: [{ model: "asc" }, { effectiveFrom: "desc" }], take: source === "catalog" ? 5000 : undefined });
}

const catalogRowError = () =>
  new ConflictError("Catalog prices change only through a catalog update; add your own row for the model to override it");

export async function createModelPrice(caller: Caller, input: z.output<typeof modelPriceCreate>) {
  return db.$transaction(async (tx) => {
    const price = await tx.modelPrice.create({
      data: { ...input, effectiveFrom: new Date(input.effectiveFrom), effectiveTo: nullableDate(input.effectiveTo) },
    });
    await audit(tx, { actor: caller, action: "model_price.create", entity: "model_price", entityId: price.id, after: price });
    await recordPriceRowChange(tx, caller, "price.create", [price]);
    return price;
  });
}

export async function updateModelPrice(caller: Caller, id: number, input: z.output<typeof modelPriceUpdate>) {
  return db.$transaction(async (tx) => {
    const before = await tx.modelPrice.findUnique({ where: { id } });
    if (!before) throw new NotFoundError("No such model price");
    if (before.source === "catalog") throw catalogRowError();
    const after = await tx.modelPrice.update({
      where: { id },
      data: {
        ...input,
        effectiveFrom: input.effectiveFrom === undefined ? undefined : new Date(input.effectiveFrom),
        effectiveTo: nullableDate(input.effectiveTo),
      },
    });
    await audit(tx, { actor: caller, action: "model_price.update", entity: "model_price", entityId: id, before, after });
    await recordPriceRowChange(tx, caller, "price.update", [before, after]);
    return after;
  });
}

export async function deleteModelPrice(caller: Caller, id: number) {
  return db.$transaction(async (tx) => {
    const before = await tx.modelPrice.findUnique({ where: { id } });
    if (!before) throw new NotFoundError("No such model price");
    if (before.source === "catalog") throw catalogRowError();
    await tx.modelPrice.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "model_price.delete", entity: "model_price", entityId: id, before });
    await recordPriceRowChange(tx, caller, "price.delete", [before]);
    return { id };
  });
}

/** Departments for pickers (scope, default department); archived ones are not offered. */
export async function departmentChoices() {
  return db.department.findMany({ where: { archivedAt: null }, select: { id: true, code: true, name: true }, orderBy: { code: "asc" } });
}

/** Agents for pickers (budget limits), by key. */
export async function agentChoices() {
  return db.agent.findMany({ select: { key: true, name: true }, orderBy: { key: "asc" } });
}
