import { RateCardsAdmin } from "@/components/admin/rate-cards";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminRateCardsPage() {
  const user = await pageUserWith("/admin/rate-cards", "billing:write");
  if (!user || isDepartmentScoped(user)) return <Forbidden what="rate card administration" />;
  return (
    <div className="space-y-4">
      <PageHeader
        title="Rate cards"
        description="Each period is priced by the version of its customer's rate card in effect at the period's start. A version that priced a finalized invoice is frozen: change prices with a new version from a later date."
      />
      <RateCardsAdmin />
    </div>
  );
}
