import Link from "next/link";
import { Forbidden } from "@/components/ui/forbidden";
import { Empty } from "@/components/ui/states";
import { requirePageUser } from "@/lib/auth/page";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { customerSummaries } from "@/lib/billing/customers";
import { formatNumber } from "@/lib/format";

export default async function CustomersPage() {
  const user = await requirePageUser("/customers");
  if (isDepartmentScoped(user)) return <Forbidden what="customers and commitments (they cover the whole organisation, not your departments)" />;
  const customers = await customerSummaries(user);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Customers</h1>
      {customers.length === 0 ? (
        <Empty message="No customers yet." />
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
