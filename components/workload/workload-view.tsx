"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DataTable, type TableColumn } from "@/components/charts/data-table";
import { taskRows } from "@/components/charts/prepare";
import { StackedChart } from "@/components/charts/stacked-chart";
import { UrlSelect } from "@/components/filters/select";
import { nextSearch } from "@/components/filters/url";
import { StatCard } from "@/components/ui/stat-card";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { formatDuration, formatMoney, formatNumber, formatPercent } from "@/lib/format";
import { fetchWorkload, workloadKeys, type WorkloadResponse } from "./queries";
import { Card } from "@/components/ui/card";
import { ChartFrame } from "@/components/ui/chart-frame";

type Row = WorkloadResponse["rows"][number];

function drillHref(groupBy: string, key: string, search: string): string | null {
  if (groupBy === "agent") return `/agents/${encodeURIComponent(key)}${nextSearch("", { from: new URLSearchParams(search).get("from"), to: new URLSearchParams(search).get("to") })}`;
  if (groupBy === "department") return `/workload${nextSearch(search, { department: key, groupBy: "agent" })}`;
  return null;
}

export function WorkloadView({ params, search }: { params: Record<string, string>; search: string }) {
  const query = useQuery({ queryKey: workloadKeys.list(params), queryFn: ({ signal }) => fetchWorkload(params, signal), placeholderData: keepPreviousData });
  if (query.isPending) return <Loading what="workload" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const data = query.data;
  const money = (v: string | null) => (v === null ? "—" : formatMoney(v, data.currency));
  const seconds = (v: number | null) => (v === null ? "—" : formatDuration(v));
  const t = data.totals;
  const columns: TableColumn<Row>[] = [
    {
      header: data.groupBy === "task_type" ? "Task type" : data.groupBy === "agent" ? "Agent" : "Department",
      cell: (r) => {
        const href = drillHref(data.groupBy, r.key, search);
        return href ? <Link href={href} className="text-accent-foreground hover:underline">{r.label}</Link> : r.label;
      },
      csv: (r) => r.label,
    },
    { header: "Key", cell: (r) => <span className="text-muted-foreground">{r.key}</span>, csv: (r) => r.key },
    { header: "Agent tasks", numeric: true, cell: (r) => formatNumber(r.agentTasks), csv: (r) => r.agentTasks },
    { header: "Human tasks", numeric: true, cell: (r) => formatNumber(r.humanTasks), csv: (r) => r.humanTasks },
    { header: "Agent share", numeric: true, cell: (r) => formatPercent(r.agentShare), csv: (r) => r.agentShare?.toFixed(4) ?? null },
    { header: "Agent cost/task", numeric: true, cell: (r) => money(r.agentCostPerTask), csv: (r) => r.agentCostPerTask },
    { header: "Human cost/task", numeric: true, cell: (r) => money(r.humanCostPerTask), csv: (r) => r.humanCostPerTask },
    { header: "Agent avg time", numeric: true, cell: (r) => seconds(r.agentAvgSeconds), csv: (r) => r.agentAvgSeconds },
    { header: "Human avg time", numeric: true, cell: (r) => seconds(r.humanAvgSeconds), csv: (r) => r.humanAvgSeconds },
    { header: "Escalations", numeric: true, cell: (r) => formatNumber(r.escalations), csv: (r) => r.escalations },
  ];
  return (
    <div className="space-y-6" aria-busy={query.isFetching}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Agent share of tasks" testId="workload-share" value={formatPercent(t.agentShare)} />
        <StatCard label="Tasks (agent / human)" value={`${formatNumber(t.agentTasks)} / ${formatNumber(t.humanTasks)}`} />
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
            <StackedChart label="Tasks by agents and humans" kind="bar" rows={taskRows(data.series, data.granularity)} series={[{ key: "agent", label: "Agents" }, { key: "human", label: "Humans" }]} format={(v) => formatNumber(v)} />
          </ChartFrame>
        )}
      </Card>
      <DataTable title="Workload by group" columns={columns} rows={data.rows} rowKey={(r) => r.key} csvName={`workload-${data.from}-${data.to}-by-${data.groupBy}.csv`} />
      <p className="text-xs text-muted-foreground">
        A task is an event with <code>handled_by</code> set. Human cost per task = handle time × the task type&apos;s loaded hourly cost. Agent cost per task = cost of
        the events attributed to task work (task type set, not handled by a human) ÷ agent tasks. Escalations = agent tasks handed to a human.
      </p>
    </div>
  );
}
