// Reading invoices in the API's shape: amounts as exact decimal strings, instants as ISO strings.
import "server-only";
import { NotFoundError } from "@/lib/api/errors";
import { pendingFor } from "@/lib/approvals/approvals";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { invoiceNumber } from "./compose";
import { balanceDue } from "./credit-note-plan";
import { creditedByInvoice, loadCreditNotes } from "./credit-notes";
import { dec, moneyText, type Dec } from "./money";
import { billTo, type BillTo } from "./document";
import { lineOutcome, type InvoiceDetail, type InvoiceLineDto, type InvoiceSummary } from "./schemas";

export const summarySelect = {
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
  taxTotal: true,
  total: true,
  issueDate: true,
  dueDate: true,
  finalizedAt: true,
  voidedAt: true,
  voidReason: true,
  fx: true,
  sends: { where: { status: "sent" }, orderBy: { sentAt: "desc" }, take: 1, select: { sentAt: true, to: true } },
} satisfies Prisma.InvoiceSelect;

export type SummaryRow = Prisma.InvoiceGetPayload<{ select: typeof summarySelect }>;

/** `credited`: the total of its credit notes; `awaitingApproval`: the id of the pending four-eyes request to finalize it (lib/approvals), if any. */
export function summary({ sends, ...i }: SummaryRow, credited: Dec = dec(0), awaitingApproval: number | null = null): InvoiceSummary {
  return {
    ...i,
    number: invoiceNumber(i.number),
    periodStart: i.periodStart.toISOString(),
    periodEnd: i.periodEnd.toISOString(),
    currency: i.currency.trim(),
    subtotal: moneyText(i.subtotal, i.currency),
    adjustmentsTotal: moneyText(i.adjustmentsTotal, i.currency),
    taxTotal: moneyText(i.taxTotal, i.currency),
    total: moneyText(i.total, i.currency),
    credited: moneyText(credited, i.currency),
    balanceDue: moneyText(i.status === "void" ? 0 : balanceDue(dec(i.total), credited), i.currency),
    issueDate: i.issueDate?.toISOString().slice(0, 10) ?? null,
    dueDate: i.dueDate?.toISOString().slice(0, 10) ?? null,
    fx: (i.fx as InvoiceSummary["fx"]) ?? null,
    finalizedAt: i.finalizedAt?.toISOString() ?? null,
    voidedAt: i.voidedAt?.toISOString() ?? null,
    sent: sends[0] ? { at: sends[0].sentAt.toISOString(), to: sends[0].to } : null,
    awaitingApproval,
  };
}

// Invoices bill customers, not departments: department-scoped callers get 403 (lib/auth/scope.ts).
/** An outcome line's figures, as rate-customers.ts stored them in its usage reference. */
function outcomeOf(usageRef: unknown) {
  const outcome = (usageRef as { outcome?: unknown } | null)?.outcome;
  return outcome ? lineOutcome.parse(outcome) : null;
}

export async function getInvoice(caller: Caller, id: number): Promise<InvoiceDetail> {
  assertOrganizationWide(caller, "Invoices");
  return loadInvoice(id);
}

/** One invoice with its lines, for a caller already authorized (getInvoice, or a customer link's own invoice). */
export async function loadInvoice(id: number): Promise<InvoiceDetail> {
  const invoice = await db.invoice.findUnique({ where: { id }, select: { ...summarySelect, billTo: true, paymentTermsDays: true, customerId: true, lines: { orderBy: { id: "asc" } } } });
  if (!invoice) throw new NotFoundError(`Invoice ${id} not found`);
  const { billTo: issuedTo, paymentTermsDays, customerId, lines: rows, ...rest } = invoice;
  // Issued invoices keep the details they were issued with; drafts show the customer's current ones.
  const [org, customer] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { paymentTermsDays: true } }),
    customerId === null ? null : db.customer.findUniqueOrThrow({ where: { id: customerId } }),
  ]);
  const meterIds = [...new Set(rows.flatMap((l) => (l.meterId ? [l.meterId] : [])))];
  const meters = new Map(
    (await db.meter.findMany({ where: { id: { in: meterIds } }, select: { id: true, key: true, name: true, unit: true } })).map((m) => [m.id, m]),
  );
  const lines: InvoiceLineDto[] = rows.map((l) => ({
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
    taxCategory: l.taxCategory,
    grossAmount: l.grossAmount === null ? null : moneyText(l.grossAmount, invoice.currency),
    createdAt: l.createdAt.toISOString(),
  }));
  const [creditNotes, credited, pending] = await Promise.all([loadCreditNotes({ invoice: id }), creditedByInvoice(db, [id]), pendingFor("invoice_finalize", [id])]);
  return {
    ...summary(rest, credited.get(id), pending.get(id) ?? null),
    billTo: (issuedTo as BillTo | null) ?? (customer ? billTo(customer) : null),
    paymentTermsDays: paymentTermsDays ?? customer?.paymentTermsDays ?? org.paymentTermsDays,
    lines,
    creditNotes,
  };
}
