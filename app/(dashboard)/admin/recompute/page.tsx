import { RecomputeAdmin } from "@/components/recompute/recompute-admin";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminRecomputePage() {
  if (!(await pageUserWith("/admin/recompute", "admin"))) return <Forbidden what="recompute runs" />;
  return (
    <div className="space-y-4">
      <PageHeader title="Recompute" description="Re-price stored events from the current model prices. Reported costs never change; finalized invoices never change (their difference goes to the next draft). Every run is audited." />
      <RecomputeAdmin />
    </div>
  );
}
