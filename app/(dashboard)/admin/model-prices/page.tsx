import { ModelPricesAdmin } from "@/components/admin/model-prices";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";

export default async function AdminModelPricesPage() {
  if (!(await pageUserWith("/admin/model-prices", "admin"))) return <Forbidden what="model prices" />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Model prices</h1>
      <ModelPricesAdmin />
    </div>
  );
}
