// The issuer printed on invoice documents: the organization's settings, or, on an issued invoice, its details and
// logo as of finalization.
import "server-only";
import { createHash } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Issuer } from "./document";
import { invoicePdf } from "./pdf";
import type { InvoiceDetail } from "./schemas";

type Client = Pick<Prisma.TransactionClient, "organization">;
export type IssuerSnapshot = Pick<Issuer, "name" | "address" | "taxId" | "paymentInstructions">;
/** What an issued invoice keeps (invoices.issuer): the details and its logo's SHA-256 in issuer_logos (null = none). */
type FrozenIssuer = IssuerSnapshot & { logoSha256?: string | null };

/** The issuer's printed details now (stored on an invoice when it is finalized). */
export async function issuerSnapshot(client: Client = db): Promise<IssuerSnapshot> {
  const org = await client.organization.findUniqueOrThrow({ where: { id: 1 }, select: { name: true, legalName: true, address: true, taxId: true, paymentInstructions: true } });
  return { name: org.legalName || org.name, address: org.address, taxId: org.taxId, paymentInstructions: org.paymentInstructions };
}

/** At finalization: the printed details and the logo, kept by its hash (one row per distinct logo). */
export async function freezeIssuer(tx: Pick<Prisma.TransactionClient, "organization" | "issuerLogo">): Promise<FrozenIssuer> {
  const [details, { logo }] = await Promise.all([issuerSnapshot(tx), tx.organization.findUniqueOrThrow({ where: { id: 1 }, select: { logo: true } })]);
  if (!logo) return { ...details, logoSha256: null };
  const logoSha256 = createHash("sha256").update(logo).digest("hex");
  await tx.issuerLogo.createMany({ data: [{ sha256: logoSha256, image: logo }], skipDuplicates: true });
  return { ...details, logoSha256 };
}

export async function invoiceIssuer(invoiceId?: number): Promise<Issuer> {
  const [org, invoice] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { paymentTermsDays: true, logo: true } }),
    invoiceId === undefined ? null : db.invoice.findUnique({ where: { id: invoiceId }, select: { issuer: true } }),
  ]);
  const frozen = invoice?.issuer as FrozenIssuer | null;
  if (!frozen) return { ...(await issuerSnapshot()), paymentTermsDays: org.paymentTermsDays, logo: org.logo ? Buffer.from(org.logo) : null };
  const { logoSha256, ...details } = frozen;
  const logo = logoSha256 ? (await db.issuerLogo.findUnique({ where: { sha256: logoSha256 }, select: { image: true } }))?.image : null;
  return { ...details, paymentTermsDays: org.paymentTermsDays, logo: logo ? Buffer.from(logo) : null };
}

/** The invoice's PDF as the customer gets it: its issuer, and Credited / Balance due once credit notes exist. */
export async function invoiceDocument(invoice: InvoiceDetail): Promise<Buffer> {
  const credits = invoice.creditNotes.length > 0 ? { credited: invoice.credited, balanceDue: invoice.balanceDue } : {};
  return invoicePdf(invoice, await invoiceIssuer(invoice.id), credits);
}
