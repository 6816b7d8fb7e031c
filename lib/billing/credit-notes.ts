// Credit notes against finalized invoices: issue (numbered, over-credit checked under locks, audited) and read.
import "server-only";
import { todayIn } from "@/lib/analytics/period";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import { ROW_PROBE, checkRowCap } from "@/lib/api/limits";
import { needsApproval, requestApproval } from "@/lib/approvals/approvals";
import type { Caller, UserCaller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import { invoiceNumber } from "./compose";
import { creditNoteNumber, planCreditNote, type CreditNoteRequest } from "./credit-note-plan";
import type { CreditNoteDetail, CreditNoteSummary } from "./credit-note-schemas";
import { dec, moneyText, sum, type Dec } from "./money";
import { billingPeriod } from "./period";

type Tx = Prisma.TransactionClient;

/** Credited amount per invoice (issued credit notes), for the invoice API's Credited and Balance due. */
export async function creditedByInvoice(client: Tx | typeof db, invoiceIds: number[]): Promise<Map<number, Dec>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await client.creditNote.groupBy({ by: ["invoiceId"], where: { invoiceId: { in: invoiceIds }, status: "issued" }, _sum: { total: true } });
  return new Map(rows.map((r) => [r.invoiceId, dec(r._sum.total)]));
}

/** The credit note `request` would issue now against the invoice (locked by the caller's transaction first). */
async function planFor(tx: Tx, invoiceId: number, request: CreditNoteRequest) {
  const [row] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM invoices WHERE id = ${invoiceId} FOR UPDATE`;
  if (!row) throw new NotFoundError(`Invoice ${invoiceId} not found`);
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: invoiceId }, include: { lines: { orderBy: { id: "asc" } } } });
  if (invoice.status !== "finalized") {
    throw new ConflictError(
      `Invoice ${invoiceId} is ${invoice.status}; credit notes are issued against finalized invoices only${invoice.status === "draft" ? " (adjust the draft instead)" : ""}`,
    );
  }
  const number = invoiceNumber(invoice.number)!;
  const currency = invoice.currency.trim();
  const byLine = await tx.$queryRaw<{ lineId: number; amount: Prisma.Decimal; quantity: Prisma.Decimal }[]>`
    SELECT l.invoice_line_id AS "lineId", sum(l.amount) AS amount, coalesce(sum(l.quantity), 0) AS quantity
    FROM credit_note_lines l JOIN credit_notes n ON n.id = l.credit_note_id
    WHERE n.invoice_id = ${invoiceId} AND n.status = 'issued' AND l.invoice_line_id IS NOT NULL
    GROUP BY 1`;
  const creditedLines = new Map(byLine.map((r) => [r.lineId, r]));
  const credited = (await creditedByInvoice(tx, [invoiceId])).get(invoiceId) ?? dec(0);
  const planned = planCreditNote(
    {
      invoiceNumber: number,
      currency,
      total: dec(invoice.total),
      credited,
      lines: invoice.lines.map((l) => ({
        id: l.id,
        description: l.description,
        quantity: dec(l.quantity),
        amount: dec(l.amount),
        creditedAmount: dec(creditedLines.get(l.id)?.amount),
        creditedQuantity: dec(creditedLines.get(l.id)?.quantity),
      })),
    },
    request,
  );
  return { invoice, number, currency, credited, planned };
}

/**
 * Numbers come from max(number) + 1 under a transaction-scoped advisory lock (as invoice finalize does): no gaps, no
 * duplicates. The invoice row is locked (FOR UPDATE, the lock void takes) before its credited amounts are read, so
 * concurrent credit notes on one invoice, or a void racing one, see each other's result and cannot over-credit.
 */
export async function issueCreditNote(invoiceId: number, request: CreditNoteRequest, actor: Caller): Promise<number> {
  assertOrganizationWide(actor, "Credit notes");
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('agentledger:credit-note-number'))`;
      const { number, currency, credited, planned } = await planFor(tx, invoiceId, request);
      const [{ next }] = (await tx.$queryRaw<{ next: number }[]>`SELECT coalesce(max(number), 0) + 1 AS next FROM credit_notes`) as [{ next: number }];
      const total = sum(planned.map((l) => l.amount));
      const note = await tx.creditNote.create({
        data: {
          number: Number(next),
          invoiceId,
          currency,
          total: total.toString(),
          reason: request.reason,
          issuedById: actor.kind === "user" ? actor.id : null,
          lines: { create: planned.map((l) => ({ invoiceLineId: l.invoiceLineId, description: l.description, quantity: l.quantity?.toString() ?? null, amount: l.amount.toString() })) },
        },
      });
      await audit(tx, {
        actor,
        action: "credit_note.issue",
        entity: "credit_note",
        entityId: note.id,
        before: { invoice: number, credited: moneyText(credited, currency) },
        after: {
          number: creditNoteNumber(note.number),
          invoiceId,
          kind: request.kind,
          reason: request.reason,
          total: moneyText(total, currency),
          credited: moneyText(credited.plus(total), currency),
          lines: planned.map((l) => ({ invoiceLineId: l.invoiceLineId, quantity: l.quantity?.toString() ?? null, amount: moneyText(l.amount, currency) })),
        },
      });
      return note.id;
    },
    // Every issue waits on the numbering lock: give queued requests time to get a connection and their turn.
    { maxWait: 15_000, timeout: 30_000 },
  );
}

/**
 * Issues the credit note, or, when four-eyes approval applies to its amount (organization setting), records a request
 * a second finance or admin user approves (lib/approvals runs issueCreditNote then, as the approver).
 */
export async function issueOrRequestApproval(caller: UserCaller, invoiceId: number, request: CreditNoteRequest): Promise<{ noteId: number } | { approvalId: number }> {
  assertOrganizationWide(caller, "Credit notes");
  // Planned as it would be issued now (refusals included), without numbering or writing anything.
  const { total, currency } = await db.$transaction(async (tx) => {
    const { currency, planned } = await planFor(tx, invoiceId, request);
    return { total: sum(planned.map((l) => l.amount)), currency };
  });
  // Valued at today's rate, today being the organization's day like every other date on its invoices.
  if (await needsApproval(total, currency, todayIn((await orgSettings()).timeZone))) {
    const approval = await requestApproval(caller, { kind: "credit_note", subjectId: invoiceId, amount: total, currency, payload: request });
    return { approvalId: approval.id };
  }
  return { noteId: await issueCreditNote(invoiceId, request, caller) };
}

const summarySelect = {
  id: true,
  number: true,
  status: true,
  currency: true,
  total: true,
  reason: true,
  issuedAt: true,
  invoice: { select: { id: true, number: true, period: true, customer: { select: { id: true, key: true, name: true } } } },
} satisfies Prisma.CreditNoteSelect;

function summary(n: Prisma.CreditNoteGetPayload<{ select: typeof summarySelect }>): CreditNoteSummary {
  return {
    id: n.id,
    number: creditNoteNumber(n.number),
    status: n.status as CreditNoteSummary["status"],
    invoice: { id: n.invoice.id, number: invoiceNumber(n.invoice.number), period: n.invoice.period },
    customer: n.invoice.customer,
    currency: n.currency.trim(),
    total: moneyText(n.total, n.currency),
    reason: n.reason,
    issuedAt: n.issuedAt.toISOString(),
  };
}

export type CreditNoteFilter = { period?: string; customer?: string; invoice?: number };

async function issuedWhere(filter: CreditNoteFilter): Promise<Prisma.CreditNoteWhereInput> {
  const period = filter.period ? billingPeriod(filter.period, (await orgSettings()).timeZone) : null;
  return {
    ...(period ? { issuedAt: { gte: period.start, lt: period.end } } : {}),
    ...(filter.invoice ? { invoiceId: filter.invoice } : {}),
    ...(filter.customer ? { invoice: { customer: { key: filter.customer } } } : {}),
  };
}

// Credit notes follow their invoices: organisation-wide, so department-scoped callers get 403 (lib/auth/scope.ts).
export async function listCreditNotes(caller: Caller, filter: CreditNoteFilter): Promise<CreditNoteSummary[]> {
  assertOrganizationWide(caller, "Credit notes");
  return loadCreditNotes(filter);
}

/** Credit notes matching `filter`, for a caller already authorized (listCreditNotes, or an invoice being loaded). */
export async function loadCreditNotes(filter: CreditNoteFilter): Promise<CreditNoteSummary[]> {
  const rows = await db.creditNote.findMany({ where: await issuedWhere(filter), select: summarySelect, orderBy: { number: "asc" }, take: ROW_PROBE });
  checkRowCap(rows.length, "credit notes", "filter by period, customer or invoice");
  return rows.map(summary);
}

export async function getCreditNote(caller: Caller, id: number): Promise<CreditNoteDetail> {
  assertOrganizationWide(caller, "Credit notes");
  const note = await db.creditNote.findUnique({ where: { id }, select: { ...summarySelect, lines: { orderBy: { id: "asc" } } } });
  if (!note) throw new NotFoundError(`Credit note ${id} not found`);
  return {
    ...summary(note),
    lines: note.lines.map((l) => ({
      id: l.id,
      invoiceLineId: l.invoiceLineId,
      description: l.description,
      quantity: l.quantity?.toString() ?? null,
      amount: moneyText(l.amount, note.currency),
    })),
  };
}

/** Credit notes issued in [start, end), with their invoice's period, for the FOCUS export's correction rows. */
export async function creditNotesIssuedBetween(start: Date, end: Date) {
  return db.creditNote.findMany({
    where: { issuedAt: { gte: start, lt: end }, status: "issued" },
    select: { ...summarySelect, invoice: { select: { ...summarySelect.invoice.select, periodStart: true, periodEnd: true } } },
    orderBy: { number: "asc" },
  });
}
