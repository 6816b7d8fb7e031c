// Reading invoices in the API's shape: amounts as exact decimal strings, instants as ISO strings.
import "server-only";
import { NotFoundError } from "@/lib/api/errors";
import { ROW_PROBE, checkRowCap } from "@/lib/api/limits";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { invoiceNumber } from "./compose";
import { moneyText } from "./money";
import { lineOutcome, type InvoiceDetail, type InvoiceLineDto, type InvoiceSummary } from "./schemas";

const summarySelect = {
  id: true,
  number: true,
  customer: { select: { id: true, key: true, name: true } },
  period: true,
  periodStart: true,
  periodEnd: true,
  status: true,
  currency: true,
  subtotal: true,
  adjustmentsTotal: true,
  total: true,
  finalizedAt: true,
  voidedAt: true,
  voidReason: true,
  fx: true,
} satisfies Prisma.InvoiceSelect;

type SummaryRow = Prisma.InvoiceGetPayload<{ select: typeof summarySelect }>;

function summary(i: SummaryRow): InvoiceSummary {
  return {
    ...i,
    number: invoiceNumber(i.number),
    periodStart: i.periodStart.toISOString(),
    periodEnd: i.periodEnd.toISOString(),
    currency: i.currency.trim(),
    subtotal: moneyText(i.subtotal, i.currency),
    adjustmentsTotal: moneyText(i.adjustmentsTotal, i.currency),
    total: moneyText(i.total, i.currency),
    fx: (i.fx as InvoiceSummary["fx"]) ?? null,
    finalizedAt: i.finalizedAt?.toISOString() ?? null,
    voidedAt: i.voidedAt?.toISOString() ?? null,
  };
}

// Invoices bill customers, not departments: department-scoped callers get 403 (lib/auth/scope.ts).
export async function listInvoices(caller: Caller, filter: { period?: string; status?: "draft" | "finalized" | "void"; customer?: string }): Promise<InvoiceSummary[]> {
  assertOrganizationWide(caller, "Invoices");
  const rows = await db.invoice.findMany({
    where: { period: filter.period, status: filter.status, ...(filter.customer ? { customer: { key: filter.customer } } : {}) },
    select: summarySelect,
    orderBy: [{ period: "desc" }, { id: "asc" }],
    take: ROW_PROBE,
  });
  checkRowCap(rows.length, "invoices", "filter by period, status or customer");
  return rows.map(summary);
}

/** An outcome line's figures, as rate-customers.ts stored them in its usage reference. */
function outcomeOf(usageRef: unknown) {
  const outcome = (usageRef as { outcome?: unknown } | null)?.outcome;
  return outcome ? lineOutcome.parse(outcome) : null;
}

export async function getInvoice(caller: Caller, id: number): Promise<InvoiceDetail> {
  assertOrganizationWide(caller, "Invoices");
  const invoice = await db.invoice.findUnique({ where: { id }, select: { ...summarySelect, lines: { orderBy: { id: "asc" } } } });
  if (!invoice) throw new NotFoundError(`Invoice ${id} not found`);
  const meterIds = [...new Set(invoice.lines.flatMap((l) => (l.meterId ? [l.meterId] : [])))];
  const meters = new Map(
    (await db.meter.findMany({ where: { id: { in: meterIds } }, select: { id: true, key: true, name: true, unit: true } })).map((m) => [m.id, m]),
  );
  const lines: InvoiceLineDto[] = invoice.lines.map((l) => ({
    id: l.id,
    kind: l.kind as InvoiceLineDto["kind"],
    meter: l.meterId ? (meters.get(l.meterId) ?? null) : null,
    description: l.description,
    quantity: l.quantity.toString(),
    unitPrice: l.unitPrice?.toString() ?? null,
    amount: moneyText(l.amount, invoice.currency),
    tiers: (l.tiers as InvoiceLineDto["tiers"]) ?? null,
    reason: l.reason,
    usageRef: (l.usageRef as InvoiceLineDto["usageRef"]) ?? null,
    outcome: l.kind === "usage" ? outcomeOf(l.usageRef) : null,
    createdAt: l.createdAt.toISOString(),
  }));
  return { ...summary(invoice), lines };
}
