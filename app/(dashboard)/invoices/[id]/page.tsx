import { notFound } from "next/navigation";
import { InvoiceDetailView } from "@/components/billing/invoice-detail";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(`/invoices/${id}`);
  if (!/^\d+$/.test(id)) notFound();
  return <InvoiceDetailView id={Number(id)} canWrite={roleAllows(user.role, "billing:write")} />;
}
