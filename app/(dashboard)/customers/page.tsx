import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/ui/forbidden";
import { NoEventsPage } from "@/components/ui/no-events";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { customerSummaries } from "@/lib/billing/customers";
import { formatNumber } from "@/lib/format";
import { hasEvents } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";

export default async function CustomersPage() {
  const user = await requirePageUser("/customers");
  if (isDepartmentScoped(user)) return <Forbidden what="customers and commitments (they cover the whole organisation, not your departments)" />;
  const customers = await customerSummaries(user);
  if (customers.length === 0 && !(await hasEvents(user))) return <NoEventsPage user={user} title="Customers" what="customer usage" />;
  return (
    <div className="space-y-6">
      <PageHeader title="Customers" />
      {customers.length === 0 ? (
        <EmptyState
          title="No customers yet."
          actions={roleAllows(user.role, "billing:write") ? [{ href: "/admin/customers", label: "Add a customer" }] : []}
        >
          Events that name a customer create it; add one by hand to give it a price plan.
        </EmptyState>
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="p-2 font-normal">Customer</th>
              <th className="p-2 font-normal">Plan</th>
              <th className="p-2 font-normal">Commitment</th>
            </tr>
          </thead>
          <tbody>
            {customers.map((c) => (
              <tr key={c.id} className="border-t border-slate-100">
                <td className="p-2">
                  <Link href={`/customers/${encodeURIComponent(c.key)}`} className="text-indigo-700 hover:underline">{c.name}</Link>
                </td>
                <td className="p-2">{c.plan ?? "—"}</td>
                <td className="p-2">{c.commitment ? `${formatNumber(c.commitment.amount)} ${c.commitment.kind}` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
