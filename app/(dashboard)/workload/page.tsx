import { FilterBar } from "@/components/filters/filter-bar";
import { ParamError, pageParams } from "@/components/filters/params";
import { PeriodPicker } from "@/components/ui/period-picker";
import { WorkloadView } from "@/components/workload/workload-view";
import { filterOptions } from "@/lib/analytics/options";
import { rangeIssues, requestedRange, todayIn } from "@/lib/analytics/period";
import { workloadQuery } from "@/lib/analytics/schemas";
import { requirePageUser } from "@/lib/auth/page";
import { orgSettings } from "@/lib/org";
import { NoEventsPage } from "@/components/ui/no-events";
import { hasEvents } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";

export default async function WorkloadPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("/workload");
  if (!(await hasEvents(user))) return <NoEventsPage user={user} title="Workload" what="workload" />;
  const org = await orgSettings();
  const { api, search } = pageParams(await searchParams, []);
  const parsed = workloadQuery.safeParse(api);
  const range = requestedRange(parsed.success ? parsed.data : {}, org.timeZone);
  // The API refuses a range over its limit (e.g. ?from=1990-01-01): say so here instead of rendering an empty view.
  const issues = parsed.success ? rangeIssues(range) : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  return (
    <div className="space-y-6">
      <PageHeader title="Workload: agents vs humans" description={<>{range.from} to {range.to} · days in {org.timeZone}</>} actions={<PeriodPicker from={range.from} to={range.to} today={todayIn(org.timeZone)} />} />
      <FilterBar options={await filterOptions(user, org)} />
      {issues.length === 0 ? (
        <WorkloadView params={{ ...api, from: range.from, to: range.to }} search={search} />
      ) : (
        <ParamError issues={issues} />
      )}
    </div>
  );
}
