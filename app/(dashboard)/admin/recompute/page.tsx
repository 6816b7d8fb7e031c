import { RecomputeAdmin } from "@/components/recompute/recompute-admin";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";
import { rawEventsFrom } from "@/lib/retention/boundary";

export default async function AdminRecomputePage() {
  if (!(await pageUserWith("/admin/recompute", "admin"))) return <Forbidden what="recompute runs" />;
  const retainedFrom = await rawEventsFrom();
  return (
    <div className="space-y-4">
      <PageHeader title="Recompute" description="Re-price stored events from the current model prices. Reported costs never change; finalized invoices never change (their difference goes to the next draft). Every run is audited." />
      {retainedFrom && (
        <p role="note" className="text-sm text-warning">
          Raw events before {retainedFrom.toISOString().slice(0, 10)} (UTC) were removed by the raw event retention (Settings): a recompute reaches only later events, and a range starting earlier is refused.
        </p>
      )}
      <RecomputeAdmin />
    </div>
  );
}
