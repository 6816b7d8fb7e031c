import { notFound } from "next/navigation";
import { AgentView } from "@/components/agents/agent-view";
import { ParamError, pageParams } from "@/components/filters/params";
import { PeriodPicker } from "@/components/ui/period-picker";
import { rangeIssues, requestedRange, todayIn } from "@/lib/analytics/period";
import { agentQuery } from "@/lib/analytics/schemas";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { orgSettings } from "@/lib/org";
import { displayCurrencies } from "@/lib/currency/display";
import { NoEventsPage } from "@/components/ui/no-events";
import { hasEvents } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";
import { SavedViews } from "@/components/views/saved-views";

export default async function AgentPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { key } = await params;
  const user = await requirePageUser(`/agents/${key}`);
  const agent = await db.agent.findUnique({ where: { key }, select: { name: true } });
  if (!agent) notFound();
  if (!(await hasEvents(user))) return <NoEventsPage user={user} title={agent.name} what="agent activity" />;
  const org = await orgSettings();
  const { api } = pageParams(await searchParams, []);
  const parsed = agentQuery.safeParse(api);
  const range = requestedRange(parsed.success ? parsed.data : {}, org.timeZone);
  // The API refuses a range over its limit (e.g. ?from=1990-01-01): say so here instead of rendering an empty view.
  const issues = parsed.success ? rangeIssues(range) : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  return (
    <div className="space-y-6">
      <PageHeader title={agent.name} description={<>Agent <code>{key}</code> · {range.from} to {range.to}</>} actions={<PeriodPicker from={range.from} to={range.to} today={todayIn(org.timeZone)} fiscalMonthStart={org.fiscalMonthStart} />} />
      <SavedViews />
      {issues.length === 0 ? (
        <AgentView agentKey={key} params={{ ...api, from: range.from, to: range.to }} currencies={await displayCurrencies(org.currency)} canCorrect={roleAllows(user.role, "admin") && user.departmentIds === null} />
      ) : (
        <ParamError issues={issues} />
      )}
    </div>
  );
}
