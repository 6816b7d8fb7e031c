import Link from "next/link";
import { AlertsPanel } from "@/components/allocation/alerts-panel";
import { AllocationView } from "@/components/allocation/allocation-view";
import { MonthPicker } from "@/components/allocation/month-picker";
import { monthString } from "@/lib/allocation/period";
import { displayCurrencies } from "@/lib/currency/display";
import { dayIn, lastCompleteMonth } from "@/lib/periods";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { orgSettings } from "@/lib/org";
import { NoEventsPage } from "@/components/ui/no-events";
import { hasEvents } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";
import { SavedViews } from "@/components/views/saved-views";

export default async function AllocationPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("/allocation");
  if (!(await hasEvents(user))) return <NoEventsPage user={user} title="Allocation" what="allocation" />;
  const org = await orgSettings();
  const params = await searchParams;
  const parsed = monthString.safeParse(params.period);
  const today = dayIn(org.timeZone);
  // Default: the last complete month (on the 1st, the current one is all zeros).
  const period = parsed.success ? parsed.data : lastCompleteMonth(today);
  return (
    <div className="space-y-6">
      <PageHeader title="Allocation" description={<>Department chargeback: direct cost plus each department&apos;s share of shared agents, against its budget, in {org.currency} (the reporting currency) or a display currency: an open month converted day by day, a closed month at its last day&apos;s rate; budgets, forecasts and GL journals stay in {org.currency}. {roleAllows(user.role, "budgets:write") && ( <> {" "} <Link href="/admin/departments" className="text-accent-foreground hover:underline">Manage departments and budgets</Link> · <Link href="/allocation/rules" className="text-accent-foreground hover:underline">Allocation rules</Link>{user.role === "admin" && <> · <Link href="/allocation/gl-accounts" className="text-accent-foreground hover:underline">GL accounts</Link></>} </> )}</>} actions={<MonthPicker period={period} today={today} />} />
      <SavedViews />
      <AlertsPanel period={period} canAcknowledge={roleAllows(user.role, "budgets:write")} timeZone={org.timeZone} />
      <AllocationView
        period={period}
        currency={params.currency ?? org.currency}
        currencies={await displayCurrencies(org.currency)}
        can={{
          manage: roleAllows(user.role, "budgets:write"),
          close: roleAllows(user.role, "budgets:write") && !user.departmentIds,
          exportFiles: roleAllows(user.role, "budgets:write"),
          currentMonth: today.slice(0, 7),
        }}
      />
    </div>
  );
}
