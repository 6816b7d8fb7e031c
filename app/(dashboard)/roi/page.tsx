import { FilterBar } from "@/components/filters/filter-bar";
import { ParamError, pageParams } from "@/components/filters/params";
import { RoiView } from "@/components/roi/roi-view";
import { RoiScenarios } from "@/components/roi/scenarios";
import { PeriodPicker } from "@/components/ui/period-picker";
import { filterOptions } from "@/lib/analytics/options";
import { rangeIssues, requestedRange, todayIn } from "@/lib/analytics/period";
import { roiQuery } from "@/lib/analytics/schemas";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { orgSettings } from "@/lib/org";
import { NoEventsPage } from "@/components/ui/no-events";
import { hasEvents } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";
import { SavedViews } from "@/components/views/saved-views";

export default async function RoiPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("/roi");
  if (!(await hasEvents(user))) return <NoEventsPage user={user} title="ROI" what="return on investment" />;
  const org = await orgSettings();
  const { api, search } = pageParams(await searchParams, []);
  const parsed = roiQuery.safeParse(api);
  const range = requestedRange(parsed.success ? parsed.data : {}, org.timeZone);
  // The API refuses a range over its limit (e.g. ?from=1990-01-01): say so here instead of rendering an empty view.
  const issues = parsed.success ? rangeIssues(range) : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  return (
    <div className="space-y-6">
      <PageHeader title="Return on investment" description={<>{range.from} to {range.to} · value of completed agent work at human baselines vs what the agents cost</>} actions={<PeriodPicker from={range.from} to={range.to} today={todayIn(org.timeZone)} fiscalMonthStart={org.fiscalMonthStart} />} />
      <SavedViews />
      <FilterBar options={await filterOptions(user, org)} />
      {issues.length === 0 ? (
        <>
          <RoiView params={{ ...api, from: range.from, to: range.to }} search={search} canEdit={roleAllows(user.role, "baselines:write")} />
          <RoiScenarios params={{ ...api, from: range.from, to: range.to }} search={`from=${range.from}&to=${range.to}`} />
        </>
      ) : (
        <ParamError issues={issues} />
      )}
    </div>
  );
}
