import { Suspense } from "react";
import { ModelPricesAdmin } from "@/components/admin/model-prices";
import { PricingAdmin } from "@/components/admin/pricing";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminModelPricesPage() {
  if (!(await pageUserWith("/admin/model-prices", "admin"))) return <Forbidden what="model prices" />;
  return (
    <div className="space-y-4">
      <PageHeader title="Model prices" description="Events are priced by, in order: an alias; your own price for the model (custom models and overrides, below); the catalog (loaded from the pinned catalog package) less your negotiated discount. Tokens with none of these stay unpriced and are listed first." />
      <Suspense>
        <PricingAdmin />
      </Suspense>
      <h2 className="text-lg font-semibold">Your own prices (custom models and overrides)</h2>
      <ModelPricesAdmin />
    </div>
  );
}
