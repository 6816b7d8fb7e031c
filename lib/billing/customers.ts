// Customer list for the billing pages: current plan and commitment at a glance (balances on the customer page).
import "server-only";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";

export async function customerSummaries(caller: Caller, now = new Date()) {
  assertOrganizationWide(caller, "Customers and commitments");
  const customers = await db.customer.findMany({
    orderBy: { name: "asc" },
    include: {
      plans: { where: { effectiveFrom: { lte: now }, OR: [{ effectiveTo: null }, { effectiveTo: { gt: now } }] }, include: { plan: true }, orderBy: { effectiveFrom: "desc" }, take: 1 },
      commitments: { where: { endsAt: { gt: now } }, orderBy: { startsAt: "asc" }, take: 1 },
    },
  });
  return customers.map((c) => ({
    id: c.id,
    key: c.key,
    name: c.name,
    plan: c.plans[0] ? `${c.plans[0].plan.name} (v${c.plans[0].plan.version})` : null,
    commitment: c.commitments[0] ? { kind: c.commitments[0].kind, amount: c.commitments[0].amount.toString() } : null,
  }));
}
