// The issuer printed on invoice documents: the organization's settings, or, on an issued invoice, its details as of
// finalization (the logo is always the current one).
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Issuer } from "./document";
import { invoicePdf } from "./pdf";
import type { InvoiceDetail } from "./schemas";

type Client = Pick<Prisma.TransactionClient, "organization">;
export type IssuerSnapshot = Pick<Issuer, "name" | "address" | "taxId" | "paymentInstructions">;

/** The issuer's printed details now (stored on an invoice when it is finalized). */
export async function issuerSnapshot(client: Client = db): Promise<IssuerSnapshot> {
  const org = await client.organization.findUniqueOrThrow({ where: { id: 1 }, select: { name: true, legalName: true, address: true, taxId: true, paymentInstructions: true } });
  return { name: org.legalName || org.name, address: org.address, taxId: org.taxId, paymentInstructions: org.paymentInstructions };
}

export async function invoiceIssuer(invoiceId?: number): Promise<Issuer> {
  const [org, invoice] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { paymentTermsDays: true, logo: true } }),
    invoiceId === undefined ? null : db.invoice.findUnique({ where: { id: invoiceId }, select: { issuer: true } }),
  ]);
  const details = (invoice?.issuer as IssuerSnapshot | null) ?? (await issuerSnapshot());
  return { ...details, paymentTermsDays: org.paymentTermsDays, logo: org.logo ? Buffer.from(org.logo) : null };
}

/** The invoice's PDF as the customer gets it: its issuer, and Credited / Balance due once credit notes exist. */
export async function invoiceDocument(invoice: InvoiceDetail): Promise<Buffer> {
  const credits = invoice.creditNotes.length > 0 ? { credited: invoice.credited, balanceDue: invoice.balanceDue } : {};
  return invoicePdf(invoice, await invoiceIssuer(invoice.id), credits);
}
