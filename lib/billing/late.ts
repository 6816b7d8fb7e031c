// Late events: usage that arrived after its period was finalized. The finalized invoice never changes; instead
// the next draft carries the difference between re-rating that period now and what was billed (and already
// carried), so tiers and minimums stay right. Late usage is billed, not drawn from a commitment.
// "Carried" is counted per period, not per invoice: after a void and regeneration of the period, what earlier
// invoices of that period had carried elsewhere is still billed, and the regenerated invoice credits it back.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { composeUsageLines, invoiceNumber, type Line } from "./compose";
import { Dec, dec, sum } from "./money";
import { billingPeriod, type BillingPeriod } from "./period";
import type { InvoiceFx } from "./schemas";
import { rateCustomers } from "./rate-customers";

type Finalized = { id: number; customerId: number; period: string; number: number; currency: string; billed: string; carried: string };

/** customerId → late_adjustment lines for the draft of `period`. */
export async function lateAdjustments(period: BillingPeriod, timeZone: string, customerIds?: number[]): Promise<{ lines: Map<number, Line[]>; fx: Map<number, InvoiceFx[]> }> {
  // The EXISTS probe uses the partial index on late events, so this stays cheap however big usage_events is.
  const finalized = await db.$queryRaw<Finalized[]>(Prisma.sql`
    SELECT i.id, i.customer_id AS "customerId", i.period, i.number, trim(i.currency) AS "currency",
      (SELECT coalesce(sum(coalesce(gross_amount, amount)), 0)::text FROM invoice_lines WHERE invoice_id = i.id AND kind IN ('usage', 'guarantee_credit', 'minimum')) AS "billed",
      (SELECT coalesce(sum(coalesce(l.gross_amount, l.amount)), 0)::text FROM invoice_lines l JOIN invoices o ON o.id = l.invoice_id
        WHERE l.kind = 'late_adjustment' AND o.status <> 'void' AND o.period <> ${period.period}
          AND o.customer_id = i.customer_id AND l.usage_ref ->> 'period' = i.period) AS "carried"
    FROM invoices i
    WHERE i.status = 'finalized' AND i.customer_id IS NOT NULL AND i.period < ${period.period}
      ${customerIds ? Prisma.sql`AND i.customer_id = ANY(${customerIds}::int[])` : Prisma.empty}
      AND EXISTS (SELECT 1 FROM usage_events e WHERE e.late AND e.customer_id = i.customer_id
                  AND e.timestamp >= i.period_start AND e.timestamp < i.period_end)`);
  const result = new Map<number, Line[]>();
  // The rates used re-rating earlier periods (and any missing, which block finalizing the draft that carries them).
  const fx = new Map<number, InvoiceFx[]>();
  const byPeriod = new Map<string, Finalized[]>();
  for (const f of finalized) byPeriod.set(f.period, [...(byPeriod.get(f.period) ?? []), f]);
  for (const [p, invoices] of byPeriod) {
    const rated = await rateCustomers(billingPeriod(p, timeZone), invoices.map((i) => i.customerId));
    for (const inv of invoices) {
      const now = rated.get(inv.customerId);
      const rerated = now ? sum(composeUsageLines({ currency: inv.currency, charges: now.charges, minimumSpend: now.minimumSpend, commitment: null }).lines.map((l) => l.amount)) : new Dec(0);
      const record = now?.fx.record();
      if (record) fx.set(inv.customerId, [...(fx.get(inv.customerId) ?? []), record]);
      const difference = rerated.minus(dec(inv.billed)).minus(dec(inv.carried));
      if (difference.isZero()) continue;
      const lines = result.get(inv.customerId) ?? [];
      lines.push({
        kind: "late_adjustment",
        meterId: null,
        description: `Late usage for ${p} (${invoiceNumber(inv.number)})`,
        quantity: new Dec(0),
        unitPrice: null,
        amount: difference,
        tiers: null,
        reason: "Events received after the period was finalized",
        usageRef: { invoiceId: inv.id, period: p },
        taxCategory: null,
        grossAmount: null,
      });
      result.set(inv.customerId, lines);
    }
  }
  return { lines: result, fx };
}

/**
 * customerId → what non-void invoices of other periods carried as late usage for `period`. A draft regenerated for a
 * voided period rates all its usage again, so this amount is already billed and is credited back on it.
 */
export async function alreadyBilledLate(period: BillingPeriod, customerIds?: number[]): Promise<Map<number, Dec>> {
  const rows = await db.$queryRaw<{ customerId: number; amount: string }[]>(Prisma.sql`
    SELECT o.customer_id AS "customerId", sum(coalesce(l.gross_amount, l.amount))::text AS amount
    FROM invoice_lines l JOIN invoices o ON o.id = l.invoice_id
    WHERE l.kind = 'late_adjustment' AND o.status <> 'void' AND o.period <> ${period.period}
      AND l.usage_ref ->> 'period' = ${period.period}
      ${customerIds ? Prisma.sql`AND o.customer_id = ANY(${customerIds}::int[])` : Prisma.empty}
    GROUP BY o.customer_id`);
  return new Map(rows.filter((r) => !dec(r.amount).isZero()).map((r) => [r.customerId, dec(r.amount)]));
}
