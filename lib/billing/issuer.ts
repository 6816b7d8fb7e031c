// The issuer printed on invoice documents: the organization's settings.
import "server-only";
import { db } from "@/lib/db";
import type { Issuer } from "./document";

export async function invoiceIssuer(): Promise<Issuer> {
  const org = await db.organization.findUniqueOrThrow({
    where: { id: 1 },
    select: { name: true, legalName: true, address: true, taxId: true, paymentInstructions: true, paymentTermsDays: true, logo: true },
  });
  return {
    name: org.legalName || org.name,
    address: org.address,
    taxId: org.taxId,
    paymentInstructions: org.paymentInstructions,
    paymentTermsDays: org.paymentTermsDays,
    logo: org.logo ? Buffer.from(org.logo) : null,
  };
}
