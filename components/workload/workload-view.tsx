"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ratio } from "@/components/ui/table/figures";
import { useRouter } from "next/navigation";
import { bucketRange, eventsHref } from "@/components/charts/drill";
import { taskRows } from "@/components/charts/prepare";
import { StackedChart } from "@/components/charts/stacked-chart";
import { UrlSelect } from "@/components/filters/select";
import { nextSearch } from "@/components/filters/url";
import { StatCard } from "@/components/ui/stat-card";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { escalationRate } from "@/lib/analytics/figures";
import { formatDuration, formatMoney, formatNumber, formatPercent } from "@/lib/format";
import { fetchWorkload, workloadKeys, type WorkloadResponse } from "./queries";
import { Card } from "@/components/ui/card";
import { ChartFrame } from "@/components/ui/chart-frame";

type Row = WorkloadResponse["rows"][number];

/** A group's name narrows the page to it (an agent opens its page); the filter key of each grouping. */
const GROUP_FILTER = { task_type: "taskType", department: "department", agent: "agent" } as const;

function drillHref(groupBy: string, key: string, search: string): string | null {
  if (groupBy === "agent") return `/agents/${encodeURIComponent(key)}${nextSearch("", { from: new URLSearchParams(search).get("from"), to: new URLSearchParams(search).get("to") })}`;
  if (groupBy === "department") return `/workload${nextSearch(search, { department: key, groupBy: "agent" })}`;
  return `/workload${nextSearch(search, { taskType: key, groupBy: "agent" })}`;
}

export function WorkloadView({ params, search }: { params: Record<string, string>; search: string }) {
  const router = useRouter();
  const query = useQuery({ queryKey: workloadKeys.list(params), queryFn: ({ signal }) => fetchWorkload(params, signal), placeholderData: keepPreviousData });
  if (query.isPending) return <Loading what="workload" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const data = query.data;
  const money = (v: string | null) => (v === null ? "—" : formatMoney(v, data.currency));
  const seconds = (v: number | null) => (v === null ? "—" : formatDuration(v));
  const t = data.totals;
  const tasks = (rows: Row[], pick: (r: Row) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const range = { from: data.from, to: data.to };
  const columns: Column<Row>[] = [
    {
      id: "group",
      value: (r) => r.label,
      header: data.groupBy === "task_type" ? "Task type" : data.groupBy === "agent" ? "Agent" : "Department",
      cell: (r) => {
        const href = drillHref(data.groupBy, r.key, search);
        return href ? <Link href={href} className="text-accent-foreground hover:underline">{r.label}</Link> : r.label;
      },
    },
    { id: "key", header: "Key", value: (r) => r.key, cell: (r) => <span className="text-muted-foreground">{r.key}</span> },
    {
      id: "agentTasks",
      header: "Agent tasks",
      type: "number",
      value: (r) => r.agentTasks,
      total: "sum",
      cell: (r) => <Link href={eventsHref(search, { ...range, [GROUP_FILTER[data.groupBy]]: r.key, handledBy: "agent" })} className="text-accent-foreground hover:underline">{formatNumber(r.agentTasks)}</Link>,
    },
    {
      id: "humanTasks",
      header: "Human tasks",
      type: "number",
      value: (r) => r.humanTasks,
      total: "sum",
      cell: (r) => <Link href={eventsHref(search, { ...range, [GROUP_FILTER[data.groupBy]]: r.key, handledBy: "human" })} className="text-accent-foreground hover:underline">{formatNumber(r.humanTasks)}</Link>,
    },
    {
      id: "agentShare",
      header: "Agent share",
      type: "percent",
      value: (r) => r.agentShare,
      total: (rows) => ratio(tasks(rows, (r) => r.agentTasks), tasks(rows, (r) => r.agentTasks + r.humanTasks)),
    },
    {
      id: "agentCostPerTask",
      header: "Agent cost/task",
      type: "money",
      currency: data.currency,
      value: (r) => r.agentCostPerTask,
      cell: (r) => <span data-testid={`workload-cost-per-task-${r.key}`}>{r.agentCostPerTask === null ? "—" : formatMoney(r.agentCostPerTask, data.currency)}</span>,
    },
    { id: "taskLinkedCostPerTask", header: "Task-linked cost/task", type: "money", currency: data.currency, value: (r) => r.taskLinkedCostPerTask },
    { id: "humanCostPerTask", header: "Human cost/task", type: "money", currency: data.currency, value: (r) => r.humanCostPerTask },
    { id: "agentAvgSeconds", header: "Agent avg time", type: "number", value: (r) => r.agentAvgSeconds, cell: (r) => seconds(r.agentAvgSeconds) },
    { id: "humanAvgSeconds", header: "Human avg time", type: "number", value: (r) => r.humanAvgSeconds, cell: (r) => seconds(r.humanAvgSeconds) },
    { id: "escalations", header: "Escalations", type: "number", value: (r) => r.escalations, total: "sum" },
    // A count alone points at the busiest agent; the rate compares them. The totals row: the shown rows' rate.
    {
      id: "escalationRate",
      header: "Escalation rate",
      type: "percent",
      value: (r) => r.escalationRate,
      total: (rows) => escalationRate(tasks(rows, (r) => r.escalations), tasks(rows, (r) => r.agentTasks)),
    },
  ];
  return (
    <div className="space-y-6" aria-busy={query.isFetching}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Agent share of tasks" testId="workload-share" value={formatPercent(t.agentShare)} />
        <StatCard label="Tasks (agent / human)" testId="workload-tasks" value={`${formatNumber(t.agentTasks)} / ${formatNumber(t.humanTasks)}`} href={eventsHref(search, { ...range, handledBy: "agent" })} />
        <StatCard label="Cost per task (agent / human)" value={`${money(t.agentCostPerTask)} / ${money(t.humanCostPerTask)}`} />
        <StatCard label="Escalations to humans" value={formatNumber(t.escalations)} />
      </div>
      <Card>
        <div className="mb-3 flex flex-wrap items-end gap-3">
          <h2 className="mr-auto font-medium">Tasks by {data.granularity}: agents vs humans</h2>
          <UrlSelect param="groupBy" label="Group by" value={data.groupBy} options={[{ key: "task_type", label: "Task type" }, { key: "department", label: "Department" }, { key: "agent", label: "Agent" }]} />
          <UrlSelect param="granularity" label="Granularity" value={data.granularity} options={[{ key: "day", label: "Day" }, { key: "week", label: "Week" }, { key: "month", label: "Month" }]} />
        </div>
        {t.agentTasks + t.humanTasks === 0 ? (
          <Empty message="No tasks for these filters in this period." />
        ) : (
          <ChartFrame label="Tasks by agents and humans">
            <StackedChart
              label="Tasks by agents and humans"
              kind="bar"
              rows={taskRows(data.series, data.granularity)}
              series={[{ key: "agent", label: "Agents" }, { key: "human", label: "Humans" }]}
              format={(v) => formatNumber(v)}
              // A bar opens the tasks behind it: that period's events handled by agents or by humans.
              onActivate={(p) => router.push(eventsHref(search, { ...bucketRange(p.row.start, data.granularity), handledBy: p.series }))}
              activateHint="list those tasks"
            />
          </ChartFrame>
        )}
      </Card>
      <DataTable title="Workload by group" columns={columns} rows={data.rows} rowKey={(r) => r.key} csvName={`workload-${data.from}-${data.to}-by-${data.groupBy}.csv`} totals />
      <p className="text-xs text-muted-foreground">
        A task is an event with <code>handled_by</code> set. Human cost per task = handle time × the task type&apos;s loaded hourly cost. Agent cost per task = all of the
        group&apos;s agent cost ÷ the tasks agents handled (any outcome), as on the agent page; task-linked cost per task counts only the events carrying a task type. Escalations = agent tasks handed to a human.
      </p>
    </div>
  );
}
