import { notFound } from "next/navigation";
import { InvoiceDetailView } from "@/components/billing/invoice-detail";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { isDepartmentScoped } from "@/lib/auth/scope";

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(`/invoices/${id}`);
  if (isDepartmentScoped(user)) return <Forbidden what="invoices (they cover the whole organisation, not your departments)" />;
  if (!/^\d+$/.test(id)) notFound();
  return <InvoiceDetailView id={Number(id)} canWrite={roleAllows(user.role, "billing:write")} />;
}
