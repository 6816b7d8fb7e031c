// Which rate card applies to each customer in a period.
import "server-only";
import { db } from "@/lib/db";
import type { BillingPeriod } from "./period";

async function loadPlans() {
  return db.pricePlan.findMany({
    include: { charges: { include: { meter: true }, orderBy: { id: "asc" } } },
    orderBy: [{ key: "asc" }, { version: "asc" }],
  });
}

export type Plan = Awaited<ReturnType<typeof loadPlans>>[number];

const overlaps = (from: Date, to: Date | null, p: BillingPeriod) => from < p.end && (to === null || to > p.start);

/**
 * customerId → plan. A customer's assignment is the latest one overlapping the period (a change takes effect
 * for whole periods; no proration). The assignment names a plan key; the version of that key in effect at the
 * period's start is used, so publishing version 2 re-prices later periods without reassigning customers.
 */
export async function plansFor(period: BillingPeriod, customerIds?: number[]): Promise<Map<number, Plan>> {
  const [plans, assignments] = await Promise.all([
    loadPlans(),
    db.customerPlan.findMany({
      where: {
        effectiveFrom: { lt: period.end },
        OR: [{ effectiveTo: null }, { effectiveTo: { gt: period.start } }],
        ...(customerIds ? { customerId: { in: customerIds } } : {}),
      },
      orderBy: [{ customerId: "asc" }, { effectiveFrom: "desc" }, { id: "desc" }],
    }),
  ]);
  const byId = new Map(plans.map((p) => [p.id, p]));
  const result = new Map<number, Plan>();
  for (const a of assignments) {
    if (result.has(a.customerId)) continue;
    const assigned = byId.get(a.planId);
    if (!assigned) continue;
    const inEffect = plans
      .filter((p) => p.key === assigned.key && p.effectiveFrom <= period.start && overlaps(p.effectiveFrom, p.effectiveTo, period))
      .at(-1);
    result.set(a.customerId, inEffect ?? assigned);
  }
  return result;
}

/** Every plan version, for choosing a candidate rate card (pricing simulation). */
export async function planVersions() {
  return db.pricePlan.findMany({ select: { id: true, key: true, version: true, name: true, currency: true }, orderBy: [{ key: "asc" }, { version: "asc" }] });
}
