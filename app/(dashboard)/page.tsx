import { OverviewView } from "@/components/overview/overview-view";
import { PeriodPicker } from "@/components/ui/period-picker";
import { ParamError } from "@/components/filters/params";
import { rangeIssues, rangeQuery, requestedRange, todayIn } from "@/lib/analytics/period";
import { requirePageUser } from "@/lib/auth/page";
import { orgSettings } from "@/lib/org";
import { NoEventsPage } from "@/components/ui/no-events";
import { hasEvents } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("/");
  if (!(await hasEvents(user))) return <NoEventsPage user={user} title="Overview" what="spend" />;
  const org = await orgSettings();
  const parsed = rangeQuery.safeParse(await searchParams);
  const range = requestedRange(parsed.success ? parsed.data : {}, org.timeZone);
  const issues = parsed.success ? rangeIssues(range) : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description={<>{org.name} · {range.from} to {range.to} · compared with the previous {range.from === range.to ? "day" : "period of equal length"}</>} actions={<PeriodPicker from={range.from} to={range.to} today={todayIn(org.timeZone)} />} />
      {issues.length === 0 ? <OverviewView from={range.from} to={range.to} /> : <ParamError issues={issues} />}
    </div>
  );
}
