import { CustomersTable } from "@/components/billing/customer-tables";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/ui/forbidden";
import { NoEventsPage } from "@/components/ui/no-events";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { customerSummaries } from "@/lib/billing/customers";
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
        <CustomersTable rows={customers.map((c) => ({ id: c.id, key: c.key, name: c.name, plan: c.plan ?? null, commitment: c.commitment ? { amount: String(c.commitment.amount), kind: c.commitment.kind } : null }))} />
      )}
    </div>
  );
}
