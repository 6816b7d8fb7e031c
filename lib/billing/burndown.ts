// A customer's commitments month by month: what each period drew from its invoice, or, for periods after the last
// invoiced one (e.g. the current month), rated live from usage so far; the balance left; and when it runs out at
// the current pace. A period skipped before the last invoiced one drew nothing, as the invoices themselves assume.
import "server-only";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { NotFoundError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import { composeUsageLines } from "./compose";
import { Dec, dec } from "./money";
import { billingPeriod, periodOf, shiftPeriod } from "./period";
import { billTo } from "./document";
import { rateCustomers } from "./rate-customers";
import { searchInvoices } from "./month-end";
import { listQuery } from "./schemas";

export type BurnPoint = { period: string; drawn: string; balance: string; source: "invoice" | "live" | "not invoiced" };
export type CommitmentView = {
  id: number;
  kind: string;
  amount: string;
  startsAt: string;
  endsAt: string;
  balance: string;
  points: BurnPoint[];
  /** YYYY-MM-DD when the balance reaches zero at the average daily pace so far; null if nothing is drawn. */
  projectedExhaustion: string | null;
};

const DAY = 86_400_000;

async function drawnFromInvoices(customerId: number, commitmentId: number): Promise<Map<string, Dec>> {
  const lines = await db.invoiceLine.findMany({
    where: { kind: "commitment", invoice: { customerId, status: { not: "void" } }, usageRef: { path: ["commitmentId"], equals: commitmentId } },
    select: { quantity: true, invoice: { select: { period: true } } },
  });
  const byPeriod = new Map<string, Dec>();
  for (const l of lines) byPeriod.set(l.invoice.period, (byPeriod.get(l.invoice.period) ?? new Dec(0)).plus(dec(l.quantity)));
  return byPeriod;
}

type CommitmentRow = { id: number; kind: string; amount: Prisma.Decimal; startsAt: Date; endsAt: Date };

/** One commitment's burn-down up to `now` and its projected run-out date (also the commitment alert ladder's figures). */
export async function commitmentView(customerId: number, c: CommitmentRow, timeZone: string, now: Date): Promise<CommitmentView> {
  const fromInvoices = await drawnFromInvoices(customerId, c.id);
  const lastInvoiced = [...fromInvoices.keys()].sort().at(-1) ?? "";
  const last = periodOf(new Date(Math.min(now.getTime(), c.endsAt.getTime() - 1)), timeZone);
  let balance = dec(c.amount);
  const points: BurnPoint[] = [];
  for (let p = periodOf(c.startsAt, timeZone); p <= last; p = shiftPeriod(p, 1)) {
    let drawn = fromInvoices.get(p) ?? (p < lastInvoiced ? new Dec(0) : undefined);
    const source = fromInvoices.has(p) ? "invoice" : drawn ? "not invoiced" : "live";
    if (!drawn) {
      const rated = (await rateCustomers(billingPeriod(p, timeZone), [customerId])).get(customerId);
      const commitment = { id: c.id, kind: c.kind === "spend" ? ("spend" as const) : ("credits" as const), balance };
      drawn = rated ? composeUsageLines({ currency: rated.currency, charges: rated.charges, minimumSpend: rated.minimumSpend, commitment }).drawn : new Dec(0);
    }
    balance = Dec.max(0, balance.minus(drawn));
    points.push({ period: p, drawn: drawn.toString(), balance: balance.toString(), source });
  }
  const used = dec(c.amount).minus(balance);
  const elapsedDays = Math.max(1, (Math.min(now.getTime(), c.endsAt.getTime()) - c.startsAt.getTime()) / DAY);
  const perDay = used.div(elapsedDays);
  const projectedExhaustion = perDay.gt(0) ? new Date(now.getTime() + balance.div(perDay).toNumber() * DAY).toISOString().slice(0, 10) : null;
  return { id: c.id, kind: c.kind, amount: c.amount.toString(), startsAt: c.startsAt.toISOString(), endsAt: c.endsAt.toISOString(), balance: balance.toString(), points, projectedExhaustion };
}

export async function customerBilling(caller: Caller, key: string, now = new Date()) {
  assertOrganizationWide(caller, "Customers and commitments");
  const customer = await db.customer.findUnique({
    where: { key },
    include: { commitments: { orderBy: { startsAt: "asc" } }, plans: { include: { plan: true }, orderBy: { effectiveFrom: "desc" } } },
  });
  if (!customer) throw new NotFoundError(`Customer ${key} not found`);
  const { timeZone, currency } = await orgSettings();
  const commitments: CommitmentView[] = [];
  for (const c of customer.commitments) commitments.push(await commitmentView(customer.id, c, timeZone, now));
  const plan = customer.plans.find((a) => a.effectiveFrom <= now && (!a.effectiveTo || a.effectiveTo > now))?.plan ?? null;
  return {
    customer: { id: customer.id, key: customer.key, name: customer.name },
    // What its invoices print, and how they are taxed.
    billTo: billTo(customer),
    paymentTermsDays: customer.paymentTermsDays,
    tax: customer.taxCountry
      ? `${customer.taxCountry.trim()}${customer.taxRegion ? `-${customer.taxRegion}` : ""}${customer.taxExempt ? `, exempt (${customer.taxExemptReason})` : customer.reverseCharge ? ", reverse charge" : ""}`
      : null,
    plan: plan ? { key: plan.key, version: plan.version, name: plan.name } : null,
    currency,
    commitments,
    // The list's own search: newest periods first, the latest 200 (16 years of months).
    invoices: (await searchInvoices(caller, listQuery.parse({ customer: key, limit: 200 }))).invoices,
  };
}
