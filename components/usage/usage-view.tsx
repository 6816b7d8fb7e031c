"use client";
import { UnpricedNotice } from "@/components/ui/unpriced-notice";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { DataTable, type TableColumn } from "@/components/charts/data-table";
import { bucketLabel, metricValue, OTHER_KEY, relativeChange, stackedRows, type Metric } from "@/components/charts/prepare";
import { StackedChart } from "@/components/charts/stacked-chart";
import { UrlSelect } from "@/components/filters/select";
import { nextSearch } from "@/components/filters/url";
import { StatCard } from "@/components/ui/stat-card";
import { Empty, ErrorState } from "@/components/ui/states";
import { MAX_HOURLY_DAYS } from "@/lib/api/limits";
import { formatMoney, formatNumber, formatPercent } from "@/lib/format";
import { fetchUsage, usageKeys, type UsageResponse } from "./queries";
import { Card } from "@/components/ui/card";
import { ChartFrame } from "@/components/ui/chart-frame";

type Row = UsageResponse["series"][number];

const rangeDays = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

const METRICS: { key: Metric; label: string }[] = [
  { key: "cost", label: "Cost" },
  { key: "quantity", label: "Quantity" },
  { key: "events", label: "Events" },
];

/** Where a click on a group leads: an agent's page, or this page filtered to the group and split by agent. */
function drillHref(groupBy: string, key: string, search: string): string | null {
  if (key === OTHER_KEY || groupBy === "none") return null;
  const keep = new URLSearchParams(search);
  if (groupBy === "agent") return `/agents/${encodeURIComponent(key)}${nextSearch("", { from: keep.get("from"), to: keep.get("to") })}`;
  return `/usage${nextSearch(search, { [groupBy]: key, groupBy: "agent" })}`;
}

export function UsageView({ params, search, metric, chart, initialData, dimensions }: {
  params: Record<string, string>;
  search: string;
  metric: Metric;
  chart: "area" | "bar";
  initialData: UsageResponse;
  dimensions: string[];
}) {
  const router = useRouter();
  const query = useQuery({
    queryKey: usageKeys.list(params),
    queryFn: ({ signal }) => fetchUsage(params, signal),
    initialData,
    placeholderData: keepPreviousData,
  });
  if (query.isError) return <ErrorState error={query.error} />;
  const data = query.data;
  const money = (v: string | number) => formatMoney(v, data.currency);
  const format = (v: number) => (metric === "cost" ? formatMoney(v, data.currency, 0) : formatNumber(v));
  const groupBy = data.groupBy;
  const drill = (key: string) => {
    const href = drillHref(groupBy, key, search);
    if (href) router.push(href);
  };

  const groupColumns: TableColumn<Row>[] = [
    {
      header: groupBy === "none" ? "Usage" : "Group",
      cell: (r) => {
        const href = drillHref(groupBy, r.key, search);
        return href ? <Link href={href} className="text-accent-foreground hover:underline">{r.label}</Link> : r.label;
      },
      csv: (r) => r.label,
    },
    { header: "Key", cell: (r) => <span className="text-muted-foreground">{r.key}</span>, csv: (r) => r.key },
    { header: "Events", numeric: true, cell: (r) => formatNumber(r.totals.events), csv: (r) => r.totals.events },
    { header: "Quantity", numeric: true, cell: (r) => formatNumber(r.totals.quantity, 2), csv: (r) => r.totals.quantity },
    { header: "Cost", numeric: true, cell: (r) => money(r.totals.cost), csv: (r) => r.totals.cost },
    { header: "Previous cost", numeric: true, cell: (r) => money(r.previous.cost), csv: (r) => r.previous.cost },
    {
      header: "Change",
      numeric: true,
      cell: (r) => formatPercent(relativeChange(Number(r.totals.cost), Number(r.previous.cost))),
      csv: (r) => relativeChange(Number(r.totals.cost), Number(r.previous.cost))?.toFixed(4) ?? null,
    },
  ];

  const periods = (data.series[0]?.points ?? []).map((p, i) => ({ start: p.start, i }));
  const periodColumns: TableColumn<{ start: string; i: number }>[] = [
    { header: "Period start", cell: (p) => bucketLabel(p.start, data.granularity), csv: (p) => p.start },
    ...data.series.map((s) => ({
      header: s.label,
      numeric: true,
      cell: (p: { i: number }) => (metric === "cost" ? money(s.points[p.i]!.cost) : formatNumber(metricValue(s.points[p.i]!, metric), 2)),
      csv: (p: { i: number }) => (metric === "cost" ? s.points[p.i]!.cost : s.points[p.i]![metric]),
    })),
  ];

  return (
    <div className="space-y-6" aria-busy={query.isFetching}>
      <UnpricedNotice unpriced={data.unpriced} range={`from=${data.from}&to=${data.to}`} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard label="Cost" testId="usage-cost" value={money(data.totals.cost)} delta={relativeChange(Number(data.totals.cost), Number(data.previous.totals.cost))} />
        <StatCard label="Events" testId="usage-events" value={formatNumber(data.totals.events)} delta={relativeChange(data.totals.events, data.previous.totals.events)} />
        <StatCard label="Quantity" testId="usage-quantity" value={formatNumber(data.totals.quantity, 2)} delta={relativeChange(data.totals.quantity, data.previous.totals.quantity)} />
      </div>
      <Card>
        <div className="mb-3 flex flex-wrap items-end gap-3">
          <h2 className="mr-auto font-medium">
            {METRICS.find((m) => m.key === metric)!.label} by {data.granularity} ({data.timeZone})
          </h2>
          <UrlSelect param="groupBy" label="Group by" value={groupBy} options={[
            { key: "none", label: "Nothing" }, { key: "department", label: "Department" }, { key: "agent", label: "Agent" }, { key: "model", label: "Model" },
            { key: "customer", label: "Customer" }, { key: "type", label: "Event type" }, ...dimensions.map((d) => ({ key: `property:${d}`, label: `Property: ${d}` })),
          ]} />
          <UrlSelect param="granularity" label="Granularity" value={data.granularity} options={[
            // Hourly only for ranges the API accepts (lib/api/limits.ts).
            ...(rangeDays(data.from, data.to) <= MAX_HOURLY_DAYS ? [{ key: "hour", label: "Hour" }] : []),
            { key: "day", label: "Day" }, { key: "week", label: "Week" }, { key: "month", label: "Month" },
          ]} />
          <UrlSelect param="metric" label="Metric" value={metric} options={METRICS} />
          <UrlSelect param="chart" label="Chart" value={chart} options={[{ key: "area", label: "Stacked area" }, { key: "bar", label: "Stacked bars" }]} />
        </div>
        {data.totals.events === 0 ? (
          <Empty message="No usage for these filters in this period." />
        ) : (
          <ChartFrame label={`Usage ${metric} by ${groupBy}`}>
            <StackedChart
              label={`Usage ${metric} by ${groupBy}`}
              kind={chart}
              rows={stackedRows(data.series, metric, data.granularity, data.previous.points)}
              series={data.series}
              format={format}
              onSelect={drill}
              previousLabel={`Previous period (${data.previous.from} to ${data.previous.to})`}
            />
          </ChartFrame>
        )}
      </Card>
      <DataTable title="By group" columns={groupColumns} rows={data.series} rowKey={(r) => r.key} csvName={`usage-${data.from}-${data.to}-by-${groupBy.replace(":", "-")}.csv`} />
      <DataTable title={`By ${data.granularity} (${metric})`} columns={periodColumns} rows={data.series.length ? periods : []} rowKey={(p) => p.start} csvName={`usage-${data.from}-${data.to}-by-${data.granularity}.csv`} collapseAfter={40} browserOnly />
    </div>
  );
}
