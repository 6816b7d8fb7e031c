// Prepaid commitments: the balance left for a period is the amount minus what earlier periods' invoices drew.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { Dec, dec } from "./money";
import type { CommitmentState } from "./compose";
import type { BillingPeriod } from "./period";

/** Drawn per commitment by non-void invoices of periods before `period` (drafts count: they will be billed). */
export async function drawnBefore(period: string, commitmentIds: number[]): Promise<Map<number, Dec>> {
  if (commitmentIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ commitmentId: number; drawn: string }[]>(Prisma.sql`
    SELECT (l.usage_ref ->> 'commitmentId')::int AS "commitmentId", sum(l.quantity)::text AS "drawn"
    FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
    WHERE l.kind = 'commitment' AND i.status <> 'void' AND i.period < ${period}
      AND (l.usage_ref ->> 'commitmentId')::int = ANY(${commitmentIds}::int[])
    GROUP BY 1`);
  return new Map(rows.map((r) => [r.commitmentId, dec(r.drawn)]));
}

/** customerId → the commitment in force for the period (the earliest-starting one if several) and its balance. */
export async function commitmentsFor(period: BillingPeriod, customerIds?: number[]): Promise<Map<number, CommitmentState>> {
  const commitments = await db.commitment.findMany({
    where: { startsAt: { lt: period.end }, endsAt: { gt: period.start }, ...(customerIds ? { customerId: { in: customerIds } } : {}) },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
  });
  const drawn = await drawnBefore(period.period, commitments.map((c) => c.id));
  const result = new Map<number, CommitmentState>();
  for (const c of commitments) {
    if (result.has(c.customerId)) continue;
    const balance = Dec.max(0, dec(c.amount).minus(drawn.get(c.id) ?? 0));
    result.set(c.customerId, { id: c.id, kind: c.kind === "spend" ? "spend" : "credits", balance });
  }
  return result;
}
