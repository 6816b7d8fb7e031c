// "Send": a finalized invoice emailed with its PDF to the customer's billing email, through the notification mail
// path (lib/alerts/email.ts, SMTP_*). Every attempt is kept in the sent log (invoice_sends) and audited.
import "server-only";
import { ConflictError, NotFoundError, ServiceUnavailableError } from "@/lib/api/errors";
import { sendMail, smtpConfigured } from "@/lib/alerts/email";
import { audit } from "@/lib/audit";
import { callerLabel, type Caller, type UserCaller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { formatMoney } from "@/lib/format";
import { orgSettings } from "@/lib/org";
import { exportFilename } from "./exports";
import { invoiceDocument } from "./issuer";
import { getInvoice } from "./queries";
import type { BulkSendResult, SendRecord } from "./schemas";

const TIMEOUT_MS = 15_000;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type SendRow = { id: number; invoiceId: number; to: string; sentAt: Date; status: string; error: string | null; messageId: string | null; sentBy: { email: string } | null };

function record(row: SendRow): SendRecord {
  return { ...row, sentAt: row.sentAt.toISOString(), sentBy: row.sentBy?.email ?? null, status: row.status as SendRecord["status"] };
}

/**
 * Emails one finalized invoice. Refused (409, nothing recorded) when it is not finalized or its customer has no
 * billing email; a refusal by the mail server is recorded as a failed send (status failed, the server's reply).
 * While the mail is in flight the log holds it as `sending`, which refuses a void.
 */
export async function sendInvoice(caller: UserCaller, id: number): Promise<SendRecord & { status: "sent" | "failed" }> {
  const invoice = await getInvoice(caller, id);
  if (invoice.status !== "finalized") throw new ConflictError(`Invoice ${id} is ${invoice.status}; only finalized invoices can be sent`);
  if (!smtpConfigured()) throw new ServiceUnavailableError("Mail is not configured on this server (SMTP_HOST, SMTP_FROM): invoices cannot be sent");
  const customer = invoice.customer ? await db.customer.findUnique({ where: { id: invoice.customer.id }, select: { name: true, billingEmail: true } }) : null;
  if (!customer?.billingEmail) {
    throw new ConflictError(`${invoice.number}: customer ${invoice.customer?.name ?? "(none)"} has no billing email; set it on the customer first`);
  }
  const org = await orgSettings();
  const pdf = await invoiceDocument(invoice);
  const total = formatMoney(invoice.total, invoice.currency);
  const subject = `Invoice ${invoice.number} from ${org.name} (${invoice.period})`;
  const text = `Hello ${customer.name},\n\nPlease find attached invoice ${invoice.number} for ${invoice.period}, total ${total}.\n\n${org.name}`;
  const html = `<p>Hello ${escapeHtml(customer.name)},</p><p>Please find attached invoice <strong>${escapeHtml(invoice.number!)}</strong> for ${escapeHtml(invoice.period)}, total <strong>${escapeHtml(total)}</strong>.</p><p>${escapeHtml(org.name)}</p>`;
  // Claimed under the invoice's row lock, the lock voidInvoice takes: a void cannot slip in while the mail is in
  // flight (it sees this `sending` row), and a send cannot start on an invoice voided meanwhile.
  const claim = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM invoices WHERE id = ${id} FOR UPDATE`;
    const { status } = await tx.invoice.findUniqueOrThrow({ where: { id }, select: { status: true } });
    if (status !== "finalized") throw new ConflictError(`Invoice ${id} is ${status}; only finalized invoices can be sent`);
    return tx.invoiceSend.create({ data: { invoiceId: id, to: customer.billingEmail!, sentById: caller.id, status: "sending" }, select: { id: true } });
  });
  let outcome: { status: "sent"; messageId: string } | { status: "failed"; error: string };
  try {
    const messageId = await sendMail(
      { to: [customer.billingEmail], subject, text, html, attachments: [{ filename: exportFilename(invoice, "pdf"), content: pdf, contentType: "application/pdf" }] },
      TIMEOUT_MS,
    );
    outcome = { status: "sent", messageId };
  } catch (error) {
    outcome = { status: "failed", error: (error as Error).message.slice(0, 1000) };
  }
  return db.$transaction(async (tx) => {
    const row = await tx.invoiceSend.update({
      where: { id: claim.id },
      data: { sentAt: new Date(), status: outcome.status, error: outcome.status === "failed" ? outcome.error : null, messageId: outcome.status === "sent" ? outcome.messageId : null },
      include: { sentBy: { select: { email: true } } },
    });
    await audit(tx, { actor: caller, action: "invoice.send", entity: "invoice", entityId: id, after: { sendId: row.id, to: row.to, status: row.status, error: row.error, messageId: row.messageId, by: callerLabel(caller) } });
    return { ...record(row), status: outcome.status };
  });
}

/** Sends each selected invoice in turn; one that cannot be sent is reported (status failed, why) and the rest go on. */
export async function sendInvoices(caller: UserCaller, ids: number[]): Promise<BulkSendResult> {
  assertOrganizationWide(caller, "Invoices");
  const results: BulkSendResult["results"] = [];
  for (const invoiceId of [...new Set(ids)]) {
    try {
      const send = await sendInvoice(caller, invoiceId);
      results.push({ invoiceId, status: send.status, send, error: send.error });
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
      results.push({ invoiceId, status: "refused", send: null, error: error.message });
    }
  }
  return { results };
}

export async function listSends(caller: Caller, invoiceId: number): Promise<SendRecord[]> {
  assertOrganizationWide(caller, "Invoices");
  if (!(await db.invoice.findUnique({ where: { id: invoiceId }, select: { id: true } }))) throw new NotFoundError(`Invoice ${invoiceId} not found`);
  const rows = await db.invoiceSend.findMany({ where: { invoiceId }, orderBy: { sentAt: "desc" }, include: { sentBy: { select: { email: true } } } });
  return rows.map(record);
}
