"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/data-table";
import { UrlSelect } from "@/components/filters/select";
import { nextSearch } from "@/components/filters/url";
import { StatCard } from "@/components/ui/stat-card";
import { ErrorState, Loading } from "@/components/ui/states";
import { formatMoney, formatNumber, formatRoi } from "@/lib/format";
import { Assumptions } from "./assumptions";
import { fetchRoi, roiKeys, type RoiResponse } from "./queries";

type Row = RoiResponse["rows"][number];

function roiCard(t: RoiResponse["totals"], currency: string) {
  const shown = formatRoi(t.roi, { value: t.value, cost: t.cost, currency });
  return { value: shown.text, title: shown.title };
}

export function RoiView({ params, search, canEdit }: { params: Record<string, string>; search: string; canEdit: boolean }) {
  const query = useQuery({ queryKey: roiKeys.list(params), queryFn: ({ signal }) => fetchRoi(params, signal), placeholderData: keepPreviousData });
  if (query.isPending) return <Loading what="ROI" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const data = query.data;
  const money = (v: string) => formatMoney(v, data.currency);
  const link = (r: Row) => {
    const keep = new URLSearchParams(search);
    if (data.groupBy === "agent") return `/agents/${encodeURIComponent(r.key)}${nextSearch("", { from: keep.get("from"), to: keep.get("to") })}`;
    if (data.groupBy === "department") return `/roi${nextSearch(search, { department: r.key, groupBy: "agent" })}`;
    return null;
  };
  const columns: Column<Row>[] = [
    {
      id: "group",
      value: (r) => r.label,
      header: data.groupBy === "task_type" ? "Task type" : data.groupBy === "agent" ? "Agent" : "Department",
      cell: (r) => {
        const href = link(r);
        return href ? <Link href={href} className="text-accent-foreground hover:underline">{r.label}</Link> : r.label;
      },
    },
    { id: "key", header: "Key", value: (r) => r.key, cell: (r) => <span className="text-muted-foreground">{r.key}</span> },
    { id: "tasks", header: "Completed tasks", type: "number", value: (r) => r.tasks, total: "sum" },
    { id: "hoursSaved", header: "Hours saved", type: "number", digits: 1, value: (r) => r.hoursSaved, total: "sum" },
    { id: "value", header: "Value", type: "money", currency: data.currency, value: (r) => r.value, total: "sum" },
    { id: "cost", header: "Agent cost", type: "money", currency: data.currency, value: (r) => r.cost, total: "sum" },
    { id: "net", header: "Net savings", type: "money", currency: data.currency, value: (r) => r.net, total: "sum" },
    { id: "costPerTask", header: "Cost per task", type: "money", currency: data.currency, value: (r) => r.costPerTask },
    {
      id: "roi",
      header: "ROI",
      type: "percent",
      value: (r) => r.roi,
      // Above the display bound or on a near-zero cost: a readable form, the figures behind it in the title.
      cell: (r) => {
        const shown = formatRoi(r.roi, { value: r.value, cost: r.cost, currency: data.currency });
        return <span title={shown.title}>{shown.text}</span>;
      },
    },
    { id: "paybackDays", header: "Payback (days)", type: "number", digits: 1, value: (r) => r.paybackDays },
  ];
  const t = data.totals;
  return (
    <div className="space-y-6" aria-busy={query.isFetching}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Hours saved" value={formatNumber(t.hoursSaved, 0)} />
        <StatCard label="Value of work done" value={money(t.value)} />
        <StatCard label="Net savings" testId="roi-net" value={money(t.net)} />
        <StatCard label="ROI" testId="roi-percent" {...roiCard(t, data.currency)} />
      </div>
      <div className="flex items-end gap-3">
        <UrlSelect param="groupBy" label="Group by" value={data.groupBy} options={[{ key: "agent", label: "Agent" }, { key: "department", label: "Department" }, { key: "task_type", label: "Task type" }]} />
      </div>
      <DataTable title="ROI by group" columns={columns} rows={data.rows} rowKey={(r) => r.key} csvName={`roi-${data.from}-${data.to}-by-${data.groupBy}.csv`} totals />
      <Assumptions assumptions={data.assumptions} method={data.method} canEdit={canEdit} currency={data.currency} />
    </div>
  );
}
