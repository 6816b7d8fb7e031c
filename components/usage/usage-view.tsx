"use client";
import { UnpricedNotice } from "@/components/ui/unpriced-notice";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { DataTable, type Column } from "@/components/ui/data-table";
import { difference, ratio } from "@/components/ui/table/figures";
import { bucketLabel, metricValue, OTHER_KEY, relativeChange, stackedRows, type Metric } from "@/components/charts/prepare";
import { chartDrillSearch, eventsHref } from "@/components/charts/drill";
import { StackedChart, type ChartPoint } from "@/components/charts/stacked-chart";
import { UrlSelect } from "@/components/filters/select";
import { nextSearch } from "@/components/filters/url";
import { StatCard } from "@/components/ui/stat-card";
import { Empty, ErrorState } from "@/components/ui/states";
import { MAX_HOURLY_DAYS } from "@/lib/api/limits";
import { formatMoney, formatNumber } from "@/lib/format";
import { fetchUsage, usageKeys, type UsageResponse } from "./queries";
import { Card } from "@/components/ui/card";
import { ChartFrame } from "@/components/ui/chart-frame";
import { ConversionNote, rateDatesText } from "@/components/currency/conversion-note";
import Decimal from "decimal.js";

type Metrics = UsageResponse["totals"];
/** A row of the group table: a series, or (under "Other") one of its members. */
type GroupRow = { key: string; label: string; totals: Metrics; previous: Metrics; members?: GroupRow[] };

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

export function UsageView({ params, search, metric, chart, initialData, dimensions, currencies }: {
  params: Record<string, string>;
  search: string;
  metric: Metric;
  chart: "area" | "bar";
  initialData: UsageResponse;
  dimensions: string[];
  /** Currencies the figures can be shown in (the organization's and those with FX rates). */
  currencies: string[];
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
  const drill = (point: ChartPoint) => router.push(`/usage${chartDrillSearch(groupBy, { series: point.series, start: point.row.start }, data.granularity, search)}`, { scroll: false });
  const range = { from: data.from, to: data.to };

  const groupRows: GroupRow[] = data.series.map((s) => ({ key: s.key, label: s.label, totals: s.totals, previous: s.previous, members: s.key === OTHER_KEY ? data.other?.members : undefined }));
  const costOf = (rows: GroupRow[], pick: (r: GroupRow) => string) => rows.reduce((sum, r) => sum + Number(pick(r)), 0);
  const groupColumns: Column<GroupRow>[] = [
    {
      id: "group",
      value: (r) => r.label,
      header: groupBy === "none" ? "Usage" : "Group",
      cell: (r) => {
        const href = drillHref(groupBy, r.key, search);
        if (r.key === OTHER_KEY && data.other) return <span title={`${data.other.groups} groups; the ${data.other.members.length} largest listed`}>{r.label}</span>;
        return href ? <Link href={href} className="text-accent-foreground hover:underline">{r.label}</Link> : r.label;
      },
    },
    { id: "key", header: "Key", value: (r) => r.key, cell: (r) => <span className="text-muted-foreground">{r.key}</span> },
    {
      id: "events",
      header: "Events",
      type: "number",
      value: (r) => r.totals.events,
      total: "sum",
      // The events behind the group's total (not for "Other": it is the sum of many groups).
      cell: (r) =>
        r.key === OTHER_KEY ? (
          formatNumber(r.totals.events)
        ) : (
          <Link href={eventsHref(search, { ...range, ...(groupBy === "none" ? {} : { [groupBy]: r.key }) })} className="text-accent-foreground hover:underline" aria-label={`${formatNumber(r.totals.events)} events of ${r.label}`}>
            {formatNumber(r.totals.events)}
          </Link>
        ),
    },
    { id: "quantity", header: "Quantity", type: "number", digits: 2, value: (r) => r.totals.quantity, total: "sum" },
    { id: "cost", header: "Cost", type: "money", currency: data.currency, value: (r) => r.totals.cost, total: "sum" },
    ...(data.conversion
      ? ([
          { id: "orgCost", header: `Cost (${data.orgCurrency})`, type: "money", currency: data.orgCurrency, value: (r) => r.totals.orgCost ?? null, total: "sum" },
          { id: "unconverted", header: `Not converted (${data.orgCurrency})`, type: "money", currency: data.orgCurrency, value: (r) => r.totals.unconverted ?? null, total: "sum" },
        ] satisfies Column<GroupRow>[])
      : []),
    { id: "share", header: "Share of cost", type: "percent", value: (r) => ratio(r.totals.cost, data.totals.cost), total: (rows) => ratio(costOf(rows, (r) => r.totals.cost), data.totals.cost) },
    { id: "previousCost", header: "Previous cost", type: "money", currency: data.currency, value: (r) => r.previous.cost, total: "sum" },
    { id: "change", header: "Change", type: "money", currency: data.currency, value: (r) => difference(r.totals.cost, r.previous.cost), total: "sum" },
    {
      id: "changePercent",
      header: "Change %",
      type: "percent",
      value: (r) => relativeChange(Number(r.totals.cost), Number(r.previous.cost)),
      total: (rows) => relativeChange(costOf(rows, (r) => r.totals.cost), costOf(rows, (r) => r.previous.cost)),
    },
  ];

  const periods = (data.series[0]?.points ?? []).map((p, i) => ({ start: p.start, i }));
  const conversion = data.conversion;
  const sumAt = (i: number, field: "orgCost" | "unconverted") => data.series.reduce((s, x) => s.plus(x.points[i]?.[field] ?? 0), new Decimal(0)).toFixed();
  const periodColumns: Column<{ start: string; i: number }>[] = [
    { id: "start", header: "Period start", type: "datetime", value: (p) => p.start, cell: (p) => bucketLabel(p.start, data.granularity) },
    ...data.series.map(
      (s): Column<{ start: string; i: number }> => ({
        id: `series:${s.key}`,
        header: s.label,
        type: metric === "cost" ? "money" : "number",
        currency: data.currency,
        digits: 2,
        value: (p) => (metric === "cost" ? s.points[p.i]!.cost : metricValue(s.points[p.i]!, metric)),
        total: "sum",
      }),
    ),
    // In a display currency: per period, the rate dates used, the organization-currency cost and what had no rate.
    ...(conversion
      ? ([
          { id: "rateDate", header: "Rate date", type: "text", value: (p) => rateDatesText(conversion.buckets[p.i]?.rateDates ?? null) },
          { id: "orgCost", header: `Cost (${data.orgCurrency})`, type: "money", currency: data.orgCurrency, digits: 2, value: (p) => sumAt(p.i, "orgCost"), total: "sum" },
          { id: "unconverted", header: `Not converted (${data.orgCurrency})`, type: "money", currency: data.orgCurrency, digits: 2, value: (p) => sumAt(p.i, "unconverted"), total: "sum" },
        ] satisfies Column<{ start: string; i: number }>[])
      : []),
  ];

  return (
    <div className="space-y-6" aria-busy={query.isFetching}>
      <UnpricedNotice unpriced={data.unpriced} range={`from=${data.from}&to=${data.to}`} />
      {conversion && <ConversionNote conversion={conversion} unconverted={data.totals.unconverted} />}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard label="Cost" testId="usage-cost" value={money(data.totals.cost)} delta={relativeChange(Number(data.totals.cost), Number(data.previous.totals.cost))} upIs="bad" href={eventsHref(search, range)} />
        <StatCard label="Events" testId="usage-events" value={formatNumber(data.totals.events)} delta={relativeChange(data.totals.events, data.previous.totals.events)} href={eventsHref(search, range)} />
        <StatCard label="Quantity" testId="usage-quantity" value={formatNumber(data.totals.quantity, 2)} delta={relativeChange(data.totals.quantity, data.previous.totals.quantity)} />
      </div>
      <Card>
        <div className="mb-3 flex flex-wrap items-end gap-3">
          <h2 className="mr-auto font-medium">
            {METRICS.find((m) => m.key === metric)!.label} by {data.granularity} ({data.timeZone})
          </h2>
          <UrlSelect param="groupBy" label="Group by" value={groupBy} options={[
            { key: "none", label: "Nothing" }, { key: "department", label: "Department" }, { key: "agent", label: "Agent" }, { key: "model", label: "Model" },
            { key: "customer", label: "Customer" }, { key: "type", label: "Event type" }, { key: "provider", label: "Provider" }, ...dimensions.map((d) => ({ key: `property:${d}`, label: `Property: ${d}` })),
          ]} />
          <UrlSelect param="granularity" label="Granularity" value={data.granularity} options={[
            // Hourly only for ranges the API accepts (lib/api/limits.ts).
            ...(rangeDays(data.from, data.to) <= MAX_HOURLY_DAYS ? [{ key: "hour", label: "Hour" }] : []),
            { key: "day", label: "Day" }, { key: "week", label: "Week" }, { key: "month", label: "Month" },
          ]} />
          <UrlSelect param="metric" label="Metric" value={metric} options={METRICS} />
          <UrlSelect param="currency" label="Currency" value={data.currency} options={currencies.map((c) => ({ key: c, label: c === data.orgCurrency ? `${c} (organization)` : c }))} />
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
              onActivate={drill}
              activateHint={groupBy === "none" ? "show that period" : "filter to that group"}
              previousLabel={`Previous period (${data.previous.from} to ${data.previous.to})`}
            />
          </ChartFrame>
        )}
      </Card>
      <DataTable
        title="By group"
        columns={groupColumns}
        rows={groupRows}
        rowKey={(r) => r.key}
        subRows={(r) => r.members}
        totals
        csvName={`usage-${data.from}-${data.to}-by-${groupBy.replace(":", "-")}.csv`}
      />
      <DataTable
        title={`By ${data.granularity} (${metric})`}
        columns={periodColumns}
        rows={data.series.length ? periods : []}
        rowKey={(p) => p.start}
        pageSize={40}
        totals
        csvName={`usage-${data.from}-${data.to}-by-${data.granularity}.csv`}
      />
    </div>
  );
}
