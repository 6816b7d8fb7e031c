// Review actions on one invoice: adjust (draft only), finalize (number + immutability), void. All audited.
import "server-only";
import type { Caller } from "@/lib/auth/caller";
import { audit } from "@/lib/audit";
import { enqueueJob } from "@/lib/jobs/queue";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/api/errors";
import { COLUMNS, columnMax } from "@/lib/decimal-input";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { Prisma } from "@/lib/generated/prisma/client";
import { applyTax, invoiceNumber, invoiceTotals } from "./compose";
import { creditNoteNumber } from "./credit-note-plan";
import { billTo, dueDate, issueDate } from "./document";
import { missingRatesMessage } from "./fx";
import { storedLine } from "./generate";
import { freezeIssuer } from "./issuer";
import { notifyInvoiceFinalized } from "./notify";
import { dec, roundMoney, type Dec } from "./money";
import type { InvoiceFx } from "./schemas";
import { missingTaxRates } from "./tax";
import { taxPoint, taxSetups } from "./tax-store";

type Tx = Prisma.TransactionClient;

/** Locks the invoice row for the rest of the transaction, so review actions on one invoice serialize. */
/** A send still `sending` after this long died with its server; it no longer holds off a void. */
const SEND_STALE_MS = 10 * 60_000;

async function lockInvoice(tx: Tx, id: number) {
  const [row] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM invoices WHERE id = ${id} FOR UPDATE`;
  if (!row) throw new NotFoundError(`Invoice ${id} not found`);
  return tx.invoice.findUniqueOrThrow({ where: { id }, include: { lines: true } });
}

function requireDraft(invoice: { id: number; status: string }, action: string) {
  if (invoice.status !== "draft") throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status}; only drafts can be ${action}`);
}

async function storeTotals(tx: Tx, id: number) {
  const lines = await tx.invoiceLine.findMany({ where: { invoiceId: id }, select: { kind: true, amount: true } });
  const t = invoiceTotals(lines);
  return tx.invoice.update({
    where: { id },
    data: { subtotal: t.subtotal.toString(), adjustmentsTotal: t.adjustmentsTotal.toString(), taxTotal: t.taxTotal.toString(), total: t.total.toString() },
  });
}

/** Recomputes a draft's tax lines after its lines changed (same setup and tax point as its draft run). */
async function retax(tx: Tx, invoice: { id: number; customerId: number | null; currency: string; periodEnd: Date }) {
  if (invoice.customerId === null) return;
  const setup = (await taxSetups(tx, [invoice.customerId], taxPoint(invoice.periodEnd))).get(invoice.customerId);
  if (!setup) return;
  const rows = await tx.invoiceLine.findMany({ where: { invoiceId: invoice.id, kind: { not: "tax" } }, orderBy: { id: "asc" } });
  const taxed = applyTax(rows.map(storedLine), setup, invoice.currency.trim());
  await tx.invoiceLine.deleteMany({ where: { invoiceId: invoice.id, kind: "tax" } });
  for (const [i, row] of rows.entries()) {
    if (!taxed[i]!.amount.eq(row.amount.toString())) await tx.invoiceLine.update({ where: { id: row.id }, data: { amount: taxed[i]!.amount.toString() } });
  }
  const taxLines = taxed.slice(rows.length);
  await tx.invoiceLine.createMany({
    data: taxLines.map((l) => ({
      invoiceId: invoice.id,
      kind: "tax",
      description: l.description,
      quantity: l.quantity.toString(),
      unitPrice: l.unitPrice?.toString() ?? null,
      amount: l.amount.toString(),
      reason: l.reason,
      usageRef: (l.usageRef ?? undefined) as Prisma.InputJsonValue | undefined,
    })),
  });
}

const MAX_MONEY = dec(columnMax(COLUMNS.money));

/** An adjustment may not take the total below 0 (that is a credit note's job) nor past what the column holds. */
function checkAdjustedTotal(total: Dec, amount: Dec) {
  const after = total.plus(amount);
  if (after.isNeg()) {
    throw new BadRequestError(
      `This adjustment would take the invoice total to ${after.toFixed(2)}; an invoice total may not go below 0. Credit beyond the total belongs on a credit note, issued once the invoice is finalized.`,
      [{ path: "amount", message: `must be at least -${total.toFixed(2)} (the invoice total)` }],
    );
  }
  if (after.gt(MAX_MONEY)) {
    throw new BadRequestError(`This adjustment would take the invoice total past ${MAX_MONEY.toFixed(2)}`, [
      { path: "amount", message: `must be at most ${MAX_MONEY.minus(total).toFixed(2)}` },
    ]);
  }
}

export type AdjustmentInput = { amount: string; reason: string; description?: string };

/** A signed amount: negative for credit notes and discounts, positive for extra charges. */
export async function addAdjustment(id: number, input: AdjustmentInput, actor: Caller) {
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, id);
    requireDraft(invoice, "adjusted");
    const amount = roundMoney(dec(input.amount), invoice.currency.trim());
    checkAdjustedTotal(dec(invoice.total), amount);
    const description = input.description ?? (amount.isNeg() ? "Credit note" : "Additional charge");
    const line = await tx.invoiceLine.create({
      data: {
        invoiceId: id,
        kind: "adjustment",
        description,
        amount: amount.toString(),
        reason: input.reason,
        createdById: actor.kind === "user" ? actor.id : null,
      },
    });
    await retax(tx, invoice);
    const after = await storeTotals(tx, id);
    await audit(tx, {
      actor,
      action: "invoice.adjust",
      entity: "invoice",
      entityId: id,
      before: { total: invoice.total.toFixed(2) },
      after: { lineId: line.id, amount: amount.toFixed(2), reason: input.reason, total: after.total.toFixed(2) },
    });
    return line;
  });
}

/**
 * Numbers come from max(number) + 1 under a transaction-scoped advisory lock: two finalizations never read the
 * same maximum, and a rolled-back one consumes no number, so the sequence has no gaps (a sequence would leak).
 */
export async function finalizeInvoice(id: number, actor: Caller) {
  const finalized = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('agentledger:invoice-number'))`;
    const invoice = await lockInvoice(tx, id);
    requireDraft(invoice, "finalized");
    // Never 1:1, never zero: usage whose currency had no rate is not on the draft yet.
    const missing = (invoice.fx as InvoiceFx | null)?.missing ?? [];
    if (missing.length > 0) throw new ConflictError(missingRatesMessage(id, missing));
    const noTaxRate = missingTaxRates(invoice.lines);
    if (noTaxRate.length > 0) throw new ConflictError(`Invoice ${id} cannot be finalized: ${noTaxRate.join("; ")}. Add the rate (Admin → Tax rates) and regenerate the draft.`);
    const [{ next }] = (await tx.$queryRaw<{ next: number }[]>`SELECT coalesce(max(number), 0) + 1 AS next FROM invoices`) as [{ next: number }];
    await storeTotals(tx, id);
    // The document's dates and the customer's billing details as of issue: later edits do not change an issued invoice.
    const [org, customer] = await Promise.all([
      tx.organization.findUniqueOrThrow({ where: { id: 1 }, select: { timeZone: true, paymentTermsDays: true } }),
      invoice.customerId === null ? null : tx.customer.findUniqueOrThrow({ where: { id: invoice.customerId } }),
    ]);
    const finalizedAt = new Date();
    const issued = issueDate(finalizedAt, org.timeZone);
    const terms = customer?.paymentTermsDays ?? org.paymentTermsDays;
    const updated = await tx.invoice.update({
      where: { id },
      data: {
        status: "finalized",
        number: Number(next),
        finalizedAt,
        finalizedById: actor.kind === "user" ? actor.id : null,
        issueDate: new Date(`${issued}T00:00:00Z`),
        paymentTermsDays: terms,
        dueDate: new Date(`${dueDate(issued, terms)}T00:00:00Z`),
        billTo: customer ? billTo(customer) : Prisma.DbNull,
        issuer: await freezeIssuer(tx),
      },
    });
    await audit(tx, { actor, action: "invoice.finalize", entity: "invoice", entityId: id, before: { status: "draft" }, after: { status: "finalized", number: updated.number, total: updated.total.toFixed(2) } });
    await notifyInvoiceFinalized(tx, updated, customer?.name ?? null, finalizedAt);
    return updated;
  });
  // After commit: connected Salesforce orgs get the invoice from a job (failures stay in the push log, and the
  // next scheduled sync picks up any invoice this missed, e.g. when the enqueue itself failed).
  await enqueueJob("salesforce.push-invoice", { invoiceId: finalized.id }).catch((error: Error) =>
    log.warn("could not queue the Salesforce invoice push", { invoice: finalized.id, error: error.message }),
  );
  return finalized;
}

export async function voidInvoice(id: number, reason: string, actor: Caller) {
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, id);
    if (invoice.status === "void") throw new ConflictError(`Invoice ${id} is already void`);
    // Void is for invoices the customer never received: once sent (the send log) or credited, corrections are credit
    // notes. A send claims its log row under this row lock before mailing, so one in flight is seen here too; a claim
    // older than SEND_STALE_MS (a server that died mid-send: the mail times out after 15 s) no longer blocks.
    const inFlight = await tx.invoiceSend.findFirst({ where: { invoiceId: id, status: "sending", sentAt: { gt: new Date(Date.now() - SEND_STALE_MS) } }, select: { to: true } });
    if (inFlight) throw new ConflictError(`Invoice ${invoiceNumber(invoice.number)} is being sent to ${inFlight.to} and cannot be voided now: issue a credit note once it is sent`);
    const sent = await tx.invoiceSend.findFirst({ where: { invoiceId: id, status: "sent" }, select: { to: true, sentAt: true } });
    if (sent) {
      throw new ConflictError(
        `Invoice ${invoiceNumber(invoice.number)} was sent to ${sent.to} on ${sent.sentAt.toISOString().slice(0, 10)} and cannot be voided: issue a credit note instead`,
      );
    }
    const notes = await tx.creditNote.findMany({ where: { invoiceId: id }, select: { number: true }, orderBy: { number: "asc" } });
    if (notes.length > 0) {
      throw new ConflictError(
        `Invoice ${invoiceNumber(invoice.number)} has credit notes (${notes.map((n) => creditNoteNumber(n.number)).join(", ")}) and cannot be voided: issue a credit note for its balance instead`,
      );
    }
    const updated = await tx.invoice.update({ where: { id }, data: { status: "void", voidedAt: new Date(), voidReason: reason } });
    // Drafts that carry this invoice's late usage are not billed yet: drop those lines, since the period's
    // regenerated draft rates that usage in full. (Finalized carriers stay; the regenerated draft credits them.)
    // The drafts are locked first, so one finalized meanwhile is left alone.
    const carriers = await tx.$queryRaw<{ id: number }[]>`
      SELECT o.id FROM invoices o
      WHERE o.status = 'draft' AND EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = o.id AND l.kind = 'late_adjustment'
                                           AND (l.usage_ref ->> 'invoiceId')::int = ${id})
      ORDER BY o.id FOR UPDATE`;
    const drafts = carriers.map((c) => c.id);
    await tx.$executeRaw`
      DELETE FROM invoice_lines WHERE invoice_id = ANY(${drafts}::int[]) AND kind = 'late_adjustment' AND (usage_ref ->> 'invoiceId')::int = ${id}`;
    for (const draftId of drafts) {
      await retax(tx, await tx.invoice.findUniqueOrThrow({ where: { id: draftId } }));
      await storeTotals(tx, draftId);
    }
    await audit(tx, { actor, action: "invoice.void", entity: "invoice", entityId: id, before: { status: invoice.status }, after: { status: "void", reason, lateLinesDroppedFrom: drafts } });
    return updated;
  });
}
