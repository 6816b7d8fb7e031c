import Link from "next/link";
import { AlertsPanel } from "@/components/allocation/alerts-panel";
import { AllocationView } from "@/components/allocation/allocation-view";
import { MonthPicker } from "@/components/allocation/month-picker";
import { dayIn, monthString } from "@/lib/allocation/period";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { orgSettings } from "@/lib/org";
import { NoEventsPage } from "@/components/ui/no-events";
import { hasEvents } from "@/lib/onboarding/latest";

export default async function AllocationPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("/allocation");
  if (!(await hasEvents(user))) return <NoEventsPage user={user} title="Allocation" what="allocation" />;
  const org = await orgSettings();
  const parsed = monthString.safeParse((await searchParams).period);
  const period = parsed.success ? parsed.data : dayIn(org.timeZone).slice(0, 7);
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Allocation</h1>
          <p className="text-sm text-slate-500">
            Department chargeback: direct cost plus each department&apos;s share of shared agents, against its budget.
            {roleAllows(user.role, "budgets:write") && (
              <>
                {" "}
                <Link href="/admin/departments" className="text-indigo-700 hover:underline">Manage departments and budgets</Link>
              </>
            )}
          </p>
        </div>
        <MonthPicker period={period} />
      </header>
      <AlertsPanel period={period} canAcknowledge={roleAllows(user.role, "budgets:write")} />
      <AllocationView period={period} />
    </div>
  );
}
