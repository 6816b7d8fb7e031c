import { FxRatesAdmin } from "@/components/admin/fx-rates";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { pageUserWith } from "@/lib/auth/page";

export default async function AdminFxRatesPage() {
  if (!(await pageUserWith("/admin/fx-rates", "admin"))) return <Forbidden what="FX rates" />;
  return (
    <div className="space-y-4">
      <PageHeader
        title="FX rates"
        description="Dated exchange rates. A conversion on a day uses the latest rate on or before it, at most 7 days old: the pair, its inverse, or a cross through EUR."
      />
      <FxRatesAdmin />
    </div>
  );
}
