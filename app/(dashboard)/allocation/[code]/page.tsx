import Link from "next/link";
import { MonthPicker } from "@/components/allocation/month-picker";
import { StatementView } from "@/components/allocation/statement-view";
import { monthString } from "@/lib/allocation/period";
import { dayIn, lastCompleteMonth } from "@/lib/periods";
import { requirePageUser } from "@/lib/auth/page";
import { orgSettings } from "@/lib/org";
import { PageHeader } from "@/components/ui/page-header";

export default async function StatementPage({ params, searchParams }: { params: Promise<{ code: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { code } = await params;
  await requirePageUser(`/allocation/${code}`);
  const org = await orgSettings();
  const query = await searchParams;
  const parsed = monthString.safeParse(query.period);
  const today = dayIn(org.timeZone);
  // Default: the last complete month (on the 1st, the current one is all zeros).
  const period = parsed.success ? parsed.data : lastCompleteMonth(today);
  const department = decodeURIComponent(code);
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <Link href={`/allocation?${new URLSearchParams({ period, ...(query.currency ? { currency: query.currency } : {}) })}`} className="text-sm text-accent-foreground hover:underline">← Allocation</Link>
          <PageHeader title={<>Showback statement: {department}</>} description={<>Agents, usage and cost for {period}, direct and allocated, with the rule behind each share.</>} />
        </div>
        <MonthPicker period={period} today={today} />
      </header>
      <StatementView code={department} period={period} currency={query.currency} />
    </div>
  );
}
