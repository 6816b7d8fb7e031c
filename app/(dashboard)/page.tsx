import { FxPendingNotice } from "@/components/currency/fx-pending-notice";
import { OverviewView } from "@/components/overview/overview-view";
import { PeriodPicker } from "@/components/ui/period-picker";
import { ParamError } from "@/components/filters/params";
import { rangeIssues, requestedRange, todayIn } from "@/lib/analytics/period";
import { overviewQuery } from "@/lib/analytics/overview-schemas";
import { displayCurrencies } from "@/lib/currency/display";
import { requirePageUser } from "@/lib/auth/page";
import { orgSettings } from "@/lib/org";
import { NoEventsPage } from "@/components/ui/no-events";
import { hasEvents } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";
import { SavedViews } from "@/components/views/saved-views";
import { redirect } from "next/navigation";
import { landingHref } from "@/lib/views/views";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("/");
  // Opening / (no parameters) goes to the user's landing view, if they have one; the Overview with any parameter stays.
  if (Object.keys(await searchParams).length === 0) {
    const landing = await landingHref(user);
    if (landing && landing !== "/") redirect(landing);
  }
  if (!(await hasEvents(user))) return <NoEventsPage user={user} title="Overview" what="spend" />;
  const org = await orgSettings();
  const parsed = overviewQuery.safeParse(await searchParams);
  const range = requestedRange(parsed.success ? parsed.data : {}, org.timeZone);
  const issues = parsed.success ? rangeIssues(range) : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description={<>{org.name} · {range.from} to {range.to} · compared with the previous {range.from === range.to ? "day" : "period of equal length"}</>} actions={<PeriodPicker from={range.from} to={range.to} today={todayIn(org.timeZone)} fiscalMonthStart={org.fiscalMonthStart} />} />
      <SavedViews />
      <FxPendingNotice user={user} />
      {issues.length === 0 ? <OverviewView from={range.from} to={range.to} currency={parsed.data?.currency ?? org.currency} currencies={await displayCurrencies(org.currency)} /> : <ParamError issues={issues} />}
    </div>
  );
}
