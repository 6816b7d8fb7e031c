// Customers (billable accounts) and their price-plan assignments. All writes audited.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { BadRequestError, NotFoundError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { ROW_PROBE, checkRowCap } from "@/lib/api/limits";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import type { customerCreate, customerPlanAssign, customerUpdate } from "./schemas";

const withPlans = {
  plans: {
    orderBy: { effectiveFrom: "desc" },
    select: { id: true, planId: true, effectiveFrom: true, effectiveTo: true, plan: { select: { key: true, version: true, name: true } } },
  },
} as const;

// Customers, their plans and commitments are organisation-wide: department-scoped callers get 403.
export async function listCustomers(caller: Caller) {
  assertOrganizationWide(caller, "Customers");
  // Ingestion creates customers on first sight, so the list has no natural bound.
  const customers = await db.customer.findMany({ include: withPlans, orderBy: { key: "asc" }, take: ROW_PROBE });
  checkRowCap(customers.length, "customers", "ask for one customer at /api/v1/customers/{id}");
  return customers;
}

export async function getCustomer(caller: Caller, id: number) {
  assertOrganizationWide(caller, "Customers");
  const customer = await db.customer.findUnique({ where: { id }, include: withPlans });
  if (!customer) throw new NotFoundError("No such customer");
  return customer;
}

/** Plans an admin can assign (newest version of each first). */
export async function listPricePlans(caller: Caller) {
  assertOrganizationWide(caller, "Price plans");
  return db.pricePlan.findMany({
    select: { id: true, key: true, version: true, name: true, currency: true },
    orderBy: [{ key: "asc" }, { version: "desc" }],
  });
}

/** An exemption is printed with its certificate or legal basis, so it needs one; checked on the merged record. */
function checkExemption(c: { taxExempt?: boolean; taxExemptReason?: string | null }) {
  if (c.taxExempt && !c.taxExemptReason) {
    throw new BadRequestError("A tax-exempt customer needs the exemption certificate or reason", [{ path: "taxExemptReason", message: "Required when taxExempt is true" }]);
  }
}

export async function createCustomer(caller: Caller, input: z.output<typeof customerCreate>) {
  checkExemption(input);
  return db.$transaction(async (tx) => {
    const customer = await tx.customer.create({ data: input, include: withPlans });
    await audit(tx, { actor: caller, action: "customer.create", entity: "customer", entityId: customer.id, after: customer });
    return customer;
  });
}

export async function updateCustomer(caller: Caller, id: number, input: z.output<typeof customerUpdate>) {
  return db.$transaction(async (tx) => {
    const before = await tx.customer.findUnique({ where: { id } });
    if (!before) throw new NotFoundError("No such customer");
    checkExemption({ ...before, ...input });
    if ((input.reverseCharge ?? before.reverseCharge) && (input.taxExempt ?? before.taxExempt)) {
      throw new BadRequestError("A customer is either tax exempt or under reverse charge, not both", [{ path: "reverseCharge", message: "Clear taxExempt first" }]);
    }
    const after = await tx.customer.update({ where: { id }, data: input, include: withPlans });
    await audit(tx, { actor: caller, action: "customer.update", entity: "customer", entityId: id, before, after });
    return after;
  });
}

/**
 * Puts a customer on a plan from a date. An assignment still open at that date is closed there, so one
 * plan applies at any instant and earlier periods keep the plan they were billed under.
 */
export async function assignPlan(caller: Caller, customerId: number, input: z.output<typeof customerPlanAssign>) {
  const from = new Date(input.effectiveFrom);
  return db.$transaction(async (tx) => {
    const customer = await tx.customer.findUnique({ where: { id: customerId }, include: withPlans });
    if (!customer) throw new NotFoundError("No such customer");
    await tx.customerPlan.updateMany({
      where: { customerId, effectiveFrom: { lt: from }, OR: [{ effectiveTo: null }, { effectiveTo: { gt: from } }] },
      data: { effectiveTo: from },
    });
    const assignment = await tx.customerPlan.create({
      data: { customerId, planId: input.planId, effectiveFrom: from, effectiveTo: input.effectiveTo ? new Date(input.effectiveTo) : null },
    });
    const after = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, include: withPlans });
    await audit(tx, {
      actor: caller,
      action: "customer.plan_assign",
      entity: "customer",
      entityId: customerId,
      before: { plans: customer.plans },
      after: { plans: after.plans, assignmentId: assignment.id },
    });
    return after;
  });
}
