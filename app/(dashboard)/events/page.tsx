import { EventsView } from "@/components/events/events-view";
import { FilterBar } from "@/components/filters/filter-bar";
import { ParamError, pageParams } from "@/components/filters/params";
import { UrlSelect } from "@/components/filters/select";
import { PageHeader } from "@/components/ui/page-header";
import { PeriodPicker } from "@/components/ui/period-picker";
import { SavedViews } from "@/components/views/saved-views";
import { filterOptions } from "@/lib/analytics/options";
import { rangeIssues, requestedRange, todayIn } from "@/lib/analytics/period";
import { eventsQuery } from "@/lib/analytics/schemas";
import { requirePageUser } from "@/lib/auth/page";
import { orgSettings } from "@/lib/org";

export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("/events");
  const org = await orgSettings();
  const { api } = pageParams(await searchParams, []);
  const parsed = eventsQuery.safeParse(api);
  const range = requestedRange(parsed.success ? parsed.data : {}, org.timeZone);
  const issues = parsed.success ? rangeIssues(range) : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  return (
    <div className="space-y-6">
      <PageHeader
        title="Events"
        description={<>{range.from} to {range.to} · days in {org.timeZone} · the raw events behind the dashboards&apos; totals, newest first</>}
        actions={<PeriodPicker from={range.from} to={range.to} today={todayIn(org.timeZone)} />}
      />
      <SavedViews />
      <div className="flex flex-wrap items-end gap-3">
        <FilterBar options={await filterOptions(user, org)} />
        <UrlSelect param="handledBy" label="Handled by" value={typeof api.handledBy === "string" ? api.handledBy : ""} options={[{ key: "", label: "Anyone" }, { key: "agent", label: "Agents" }, { key: "human", label: "Humans" }]} />
      </div>
      {issues.length === 0 ? <EventsView params={{ ...api, from: range.from, to: range.to }} /> : <ParamError issues={issues} />}
    </div>
  );
}
