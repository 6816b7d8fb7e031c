// Draft generation for a period: rate, compose, then write all drafts in one locked transaction.
// Idempotent: a draft's computed lines are replaced (finance's manual adjustments stay), finalized invoices are
// never touched, and a voided invoice is superseded by a new draft.
import "server-only";
import type { Caller } from "@/lib/auth/caller";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import { assertRetained } from "@/lib/retention/boundary";
import { commitmentsFor } from "./commitments";
import { applyTax, composeUsageLines, invoiceTotals, pricedInclusive, type Line, type TaxSetup } from "./compose";
import { alreadyBilledLate, lateAdjustments } from "./late";
import { mergeFx } from "./fx";
import { Dec, dec, moneyText } from "./money";
import { billingPeriod, type BillingPeriod } from "./period";
import type { Plan } from "./plans";
import { notifyInvoiceRun } from "./notify";
import { rateCustomers } from "./rate-customers";
import { taxPoint, taxSetups } from "./tax-store";
import type { InvoiceFx } from "./schemas";

export type DraftSummary = { id: number; customer: { id: number; key: string; name: string }; status: string; total: string };

function lineData(invoiceId: number, l: Line): Prisma.InvoiceLineCreateManyInput {
  return {
    invoiceId,
    kind: l.kind,
    meterId: l.meterId,
    description: l.description,
    quantity: l.quantity.toString(),
    unitPrice: l.unitPrice?.toString() ?? null,
    amount: l.amount.toString(),
    tiers: l.tiers ?? Prisma.DbNull,
    reason: l.reason,
    usageRef: (l.usageRef as Prisma.InputJsonValue | null) ?? Prisma.DbNull,
    taxCategory: l.taxCategory,
    grossAmount: l.grossAmount?.toString() ?? null,
  };
}

/** A stored line in the shape the composer and the tax pass work on. */
export function storedLine(l: { kind: string; amount: Prisma.Decimal; taxCategory: string | null; grossAmount: Prisma.Decimal | null }): Line {
  return {
    kind: l.kind as Line["kind"],
    meterId: null,
    description: "",
    quantity: new Dec(0),
    unitPrice: null,
    amount: dec(l.amount),
    tiers: null,
    reason: null,
    usageRef: null,
    taxCategory: l.taxCategory,
    grossAmount: l.grossAmount === null ? null : dec(l.grossAmount),
  };
}

/** `lines` before tax; `tax` is what taxedDraft needs to tax them together with the draft's kept adjustments. */
export type ComputedDraft = { currency: string; lines: Line[]; fx: InvoiceFx | null; tax: TaxSetup };

/**
 * A computed draft taxed together with the draft's kept adjustments (finance's, stored and never rewritten): all its
 * lines, those a draft run writes (all but the kept adjustments) and the totals. Draft runs and simulations tax
 * through this one call, so a simulated total is what the draft run would store.
 */
export function taxedDraft(computed: ComputedDraft, kept: Line[]) {
  const lines = applyTax([...computed.lines, ...kept], computed.tax, computed.currency);
  return { lines, written: lines.filter((l) => l.kind !== "adjustment"), totals: invoiceTotals(lines) };
}

/**
 * customerId → the draft's computed lines for the period, without writing anything: usage rated under each customer's
 * plan (or `planOverride`'s), minimum, commitment drawdown, late adjustments. Draft generation writes exactly this;
 * pricing simulation (simulate.ts) reads it under a candidate rate card.
 */
export async function computeDrafts(period: BillingPeriod, timeZone: string, customerIds?: number[], planOverride?: Map<number, Plan>) {
  // Rating reads the period's raw events: a period whose raw events retention removed would bill nothing (409).
  await assertRetained(`Rating ${period.period}`, period.start);
  const [rated, commitments, late, billedElsewhere] = await Promise.all([
    rateCustomers(period, customerIds, planOverride),
    commitmentsFor(period, customerIds),
    lateAdjustments(period, timeZone, customerIds),
    alreadyBilledLate(period, customerIds),
  ]);
  const taxes = await taxSetups(db, [...rated.keys()], taxPoint(period.end));
  const computed = new Map<number, ComputedDraft>();
  for (const [customerId, { plan, currency, minimumSpend, charges, fx }] of rated) {
    const alreadyBilled = billedElsewhere.get(customerId);
    const { lines } = composeUsageLines({
      currency,
      charges,
      minimumSpend,
      commitment: commitments.get(customerId) ?? null,
      alreadyBilled: alreadyBilled ? { period: period.period, amount: alreadyBilled } : undefined,
    });
    const all = [...lines, ...(late.lines.get(customerId) ?? [])];
    computed.set(customerId, { currency, lines: plan.pricesIncludeTax ? pricedInclusive(all) : all, fx: mergeFx([fx.record(), ...(late.fx.get(customerId) ?? [])]), tax: taxes.get(customerId)! });
  }
  return computed;
}

export async function generateDrafts(periodText: string, actor: Caller | null, customerIds?: number[]) {
  const { timeZone } = await orgSettings();
  const period = billingPeriod(periodText, timeZone);
  const computed = await computeDrafts(period, timeZone, customerIds);
  // Tax is computed over the computed lines and the draft's kept adjustments (inside the transaction, below).
  const taxed = (customerId: number, kept: Line[]) => taxedDraft(computed.get(customerId)!, kept);

  await db.$transaction(
    async (tx) => {
      // One writer per period: concurrent runs queue here instead of creating duplicate drafts.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('agentledger:billing-period'), hashtext(${period.period}))`;
      // Late lines computed above must not outlive a void of the invoice they correct: lock those invoices (before
      // this period's rows, the order voidInvoice uses) and drop lines for any voided meanwhile.
      const refs = [...computed.values()].flatMap((c) => c.lines.filter((l) => l.kind === "late_adjustment" && l.usageRef?.invoiceId).map((l) => Number(l.usageRef!.invoiceId)));
      const finalized = new Set(
        (await tx.$queryRaw<{ id: number }[]>`SELECT id FROM invoices WHERE id = ANY(${refs}::int[]) AND status = 'finalized' ORDER BY id FOR SHARE`).map((r) => r.id),
      );
      for (const c of computed.values()) c.lines = c.lines.filter((l) => l.kind !== "late_adjustment" || !l.usageRef?.invoiceId || finalized.has(Number(l.usageRef.invoiceId)));
      // Row locks make adjustments and finalization wait for (or win against) this run on the same invoices.
      await tx.$queryRaw`SELECT id FROM invoices WHERE period = ${period.period} AND status <> 'void' FOR UPDATE`;
      const existing = await tx.invoice.findMany({
        where: { period: period.period, customerId: { in: [...computed.keys()] }, status: { not: "void" } },
        select: { id: true, customerId: true, status: true, lines: { where: { kind: "adjustment" }, select: { kind: true, amount: true, taxCategory: true, grossAmount: true } } },
      });
      const byCustomer = new Map(existing.map((i) => [i.customerId as number, i]));
      const drafts = existing.filter((i) => i.status === "draft");
      await tx.invoiceLine.deleteMany({ where: { invoiceId: { in: drafts.map((d) => d.id) }, kind: { not: "adjustment" } } });

      const fresh = new Map([...computed.keys()].filter((id) => !byCustomer.has(id)).map((id) => [id, taxed(id, [])]));
      const regenerated = new Map(drafts.map((d) => [d.id, taxed(d.customerId!, d.lines.map(storedLine))]));
      const created = await tx.invoice.createManyAndReturn({
        data: [...fresh.keys()].map((customerId) => {
          const c = computed.get(customerId)!;
          const t = fresh.get(customerId)!.totals;
          return {
            customerId,
            period: period.period,
            periodStart: period.start,
            periodEnd: period.end,
            currency: c.currency,
            fx: c.fx ?? Prisma.DbNull,
            subtotal: t.subtotal.toString(),
            adjustmentsTotal: t.adjustmentsTotal.toString(),
            taxTotal: t.taxTotal.toString(),
            total: t.total.toString(),
          };
        }),
        select: { id: true, customerId: true },
      });

      const lines = [
        ...created.flatMap((inv) => fresh.get(inv.customerId!)!.written.map((l) => lineData(inv.id, l))),
        ...drafts.flatMap((d) => regenerated.get(d.id)!.written.map((l) => lineData(d.id, l))),
      ];
      // Stay under PostgreSQL's 65,535 bind parameters per statement.
      for (let i = 0; i < lines.length; i += 2000) await tx.invoiceLine.createMany({ data: lines.slice(i, i + 2000) });

      if (drafts.length > 0) {
        const totals = drafts.map((d) => regenerated.get(d.id)!.totals);
        // Currency and FX follow the customer's current settings (finance's adjustments keep their amounts).
        const info = drafts.map((d) => computed.get(d.customerId!)!);
        await tx.$executeRaw`
          UPDATE invoices i SET subtotal = v.subtotal, adjustments_total = v.adjustments, tax_total = v.tax, total = v.total, currency = v.currency, fx = v.fx, updated_at = now()
          FROM unnest(${drafts.map((d) => d.id)}::int[], ${totals.map((t) => t.subtotal.toString())}::numeric[],
                      ${totals.map((t) => t.adjustmentsTotal.toString())}::numeric[], ${totals.map((t) => t.taxTotal.toString())}::numeric[],
                      ${totals.map((t) => t.total.toString())}::numeric[],
                      ${info.map((c) => c.currency)}::text[], ${info.map((c) => (c.fx ? JSON.stringify(c.fx) : null))}::jsonb[])
               AS v(id, subtotal, adjustments, tax, total, currency, fx)
          WHERE i.id = v.id`;
      }
      await audit(tx, {
        actor,
        action: "invoice.generate_drafts",
        entity: "invoice",
        entityId: period.period,
        after: { created: created.length, regenerated: drafts.length, untouched: existing.length - drafts.length },
      });
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  // Only the run over every customer is the period's run (a customer's regenerated draft is not worth a summary).
  if (!customerIds) await notifyInvoiceRun(period.period, "drafts", actor);
  return { period: period.period, invoices: await invoiceSummaries(period.period, [...computed.keys()]) };
}

async function invoiceSummaries(period: string, customerIds: number[]): Promise<DraftSummary[]> {
  const invoices = await db.invoice.findMany({
    where: { period, customerId: { in: customerIds }, status: { not: "void" } },
    select: { id: true, status: true, total: true, currency: true, customer: { select: { id: true, key: true, name: true } } },
    orderBy: { id: "asc" },
  });
  return invoices.map((i) => ({ id: i.id, customer: i.customer!, status: i.status, total: moneyText(i.total, i.currency) }));
}
