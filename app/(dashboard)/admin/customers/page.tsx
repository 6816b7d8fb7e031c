import { CustomersAdmin } from "@/components/admin/customers";
import { listPricePlans } from "@/lib/admin/customers";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminCustomersPage() {
  const user = await pageUserWith("/admin/customers", "billing:write");
  if (!user || isDepartmentScoped(user)) return <Forbidden what="customer administration" />;
  const plans = await listPricePlans(user);
  return (
    <div className="space-y-4">
      <PageHeader title="Customers" />
      <CustomersAdmin plans={plans} />
    </div>
  );
}
