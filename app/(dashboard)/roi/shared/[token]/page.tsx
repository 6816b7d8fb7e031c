import { SharedScenario } from "@/components/roi/shared-scenario";
import { PageHeader } from "@/components/ui/page-header";
import { pageParams } from "@/components/filters/params";
import { requestedRange } from "@/lib/analytics/period";
import { roiQuery } from "@/lib/analytics/schemas";
import { requirePageUser } from "@/lib/auth/page";
import { orgSettings } from "@/lib/org";

export default async function SharedScenarioPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await params;
  await requirePageUser(`/roi/shared/${encodeURIComponent(token)}`);
  const org = await orgSettings();
  const { api } = pageParams(await searchParams, []);
  const parsed = roiQuery.safeParse(api);
  const range = requestedRange(parsed.success ? parsed.data : {}, org.timeZone);
  return (
    <div className="space-y-6">
      <PageHeader title="ROI scenario" description="Shared read-only: the owner's what-if baselines next to the official figures." />
      <SharedScenario token={token} params={{ ...api, from: range.from, to: range.to }} />
    </div>
  );
}
