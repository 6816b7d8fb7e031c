import { FilterBar } from "@/components/filters/filter-bar";
import { FxPendingNotice } from "@/components/currency/fx-pending-notice";
import { UsageView } from "@/components/usage/usage-view";
import { PeriodPicker } from "@/components/ui/period-picker";
import { usage } from "@/lib/analytics/usage";
import { runOnReplica } from "@/lib/db";
import { filterOptions } from "@/lib/analytics/options";
import { requestedRange, todayIn } from "@/lib/analytics/period";
import { usageQuery, type UsageResponse } from "@/lib/analytics/schemas";
import { ApiError, type ErrorDetail } from "@/lib/api/errors";
import { requirePageUser } from "@/lib/auth/page";
import { orgSettings } from "@/lib/org";
import { displayCurrencies } from "@/lib/currency/display";
import { ParamError, pageParams } from "@/components/filters/params";
import { NoEventsPage } from "@/components/ui/no-events";
import { hasEvents } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";
import { SavedViews } from "@/components/views/saved-views";

/** The data, or the parameter problems when the query names a property that is not a promoted dimension. */
async function loadUsage(run: () => Promise<UsageResponse>): Promise<{ data: UsageResponse } | { issues: ErrorDetail[] }> {
  try {
    return { data: await run() };
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return { issues: error.details ?? [{ path: "", message: error.message }] };
    throw error;
  }
}

export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("/usage");
  if (!(await hasEvents(user))) return <NoEventsPage user={user} title="Usage" what="usage" />;
  const org = await orgSettings();
  const { api, search, ui } = pageParams(await searchParams, ["metric", "chart"]);
  const parsed = usageQuery.safeParse(api);
  // As asked: usage() refuses a range over the limit with a 400 whose details are shown below.
  const range = requestedRange(parsed.success ? parsed.data : {}, org.timeZone);
  const [loaded, firstOptions, currencies] = await Promise.all([
    parsed.success ? loadUsage(() => runOnReplica(() => usage(user, org, parsed.data))) : null,
    filterOptions(user, org),
    displayCurrencies(org.currency),
  ]);
  // Loading may have refreshed the settings (a dimension promoted moments ago on another instance): list again then.
  const fresh = await orgSettings();
  const options = fresh.dimensions.join("\n") === org.dimensions.join("\n") ? firstOptions : await filterOptions(user, fresh);
  const issues = !parsed.success ? parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : loaded && "issues" in loaded ? loaded.issues : null;
  const metric = ui.metric === "quantity" || ui.metric === "events" ? ui.metric : "cost";
  return (
    <div className="space-y-6">
      <PageHeader title="Usage" description={<>{range.from} to {range.to} · days in {org.timeZone} · compared with the previous period of equal length</>} actions={<PeriodPicker from={range.from} to={range.to} today={todayIn(org.timeZone)} fiscalMonthStart={org.fiscalMonthStart} />} />
      <SavedViews />
      <FxPendingNotice user={user} />
      <FilterBar options={options} />
      {issues ? (
        <ParamError issues={issues} />
      ) : (
        loaded &&
        "data" in loaded && (
          // Rendered with data on the server (no loading flash); the client keeps it in TanStack Query's cache.
          <UsageView params={{ ...api, from: range.from, to: range.to }} search={search} metric={metric} chart={ui.chart === "bar" ? "bar" : "area"} initialData={loaded.data} dimensions={options.dimensions} currencies={currencies} />
        )
      )}
    </div>
  );
}
