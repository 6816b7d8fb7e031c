"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DataTable, type TableColumn } from "@/components/charts/data-table";
import { UrlSelect } from "@/components/filters/select";
import { nextSearch } from "@/components/filters/url";
import { StatCard } from "@/components/ui/stat-card";
import { ErrorState, Loading } from "@/components/ui/states";
import { formatMoney, formatNumber, formatPercent } from "@/lib/format";
import { Assumptions } from "./assumptions";
import { fetchRoi, roiKeys, type RoiResponse } from "./queries";

type Row = RoiResponse["rows"][number];

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
  const columns: TableColumn<Row>[] = [
    {
      header: data.groupBy === "task_type" ? "Task type" : data.groupBy === "agent" ? "Agent" : "Department",
      cell: (r) => {
        const href = link(r);
        return href ? <Link href={href} className="text-accent-foreground hover:underline">{r.label}</Link> : r.label;
      },
      csv: (r) => r.label,
    },
    { header: "Key", cell: (r) => <span className="text-muted-foreground">{r.key}</span>, csv: (r) => r.key },
    { header: "Completed tasks", numeric: true, cell: (r) => formatNumber(r.tasks), csv: (r) => r.tasks },
    { header: "Hours saved", numeric: true, cell: (r) => formatNumber(r.hoursSaved, 1), csv: (r) => r.hoursSaved },
    { header: "Value", numeric: true, cell: (r) => money(r.value), csv: (r) => r.value },
    { header: "Agent cost", numeric: true, cell: (r) => money(r.cost), csv: (r) => r.cost },
    { header: "Net savings", numeric: true, cell: (r) => money(r.net), csv: (r) => r.net },
    { header: "ROI", numeric: true, cell: (r) => formatPercent(r.roi), csv: (r) => r.roi },
    { header: "Payback (days)", numeric: true, cell: (r) => (r.paybackDays === null ? "—" : formatNumber(r.paybackDays, 1)), csv: (r) => r.paybackDays },
  ];
  const t = data.totals;
  return (
    <div className="space-y-6" aria-busy={query.isFetching}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Hours saved" value={formatNumber(t.hoursSaved, 0)} />
        <StatCard label="Value of work done" value={money(t.value)} />
        <StatCard label="Net savings" testId="roi-net" value={money(t.net)} />
        <StatCard label="ROI" testId="roi-percent" value={formatPercent(t.roi)} />
      </div>
      <div className="flex items-end gap-3">
        <UrlSelect param="groupBy" label="Group by" value={data.groupBy} options={[{ key: "agent", label: "Agent" }, { key: "department", label: "Department" }, { key: "task_type", label: "Task type" }]} />
      </div>
      <DataTable title="ROI by group" columns={columns} rows={data.rows} rowKey={(r) => r.key} csvName={`roi-${data.from}-${data.to}-by-${data.groupBy}.csv`} />
      <Assumptions assumptions={data.assumptions} method={data.method} canEdit={canEdit} currency={data.currency} />
    </div>
  );
}
