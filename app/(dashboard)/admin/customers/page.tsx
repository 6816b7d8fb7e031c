import { CustomersAdmin } from "@/components/admin/customers";
import { listPricePlans } from "@/lib/admin/customers";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { isDepartmentScoped } from "@/lib/auth/scope";

export default async function AdminCustomersPage() {
  const user = await pageUserWith("/admin/customers", "billing:write");
  if (!user || isDepartmentScoped(user)) return <Forbidden what="customer administration" />;
  const plans = await listPricePlans(user);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Customers</h1>
      <CustomersAdmin plans={plans} />
    </div>
  );
}
