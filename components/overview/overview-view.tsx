"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { eventsHref } from "@/components/charts/drill";
import { bucketLabel } from "@/components/charts/prepare";
import { StackedChart } from "@/components/charts/stacked-chart";
import { EmptyState } from "@/components/ui/empty-state";
import { StatCard } from "@/components/ui/stat-card";
import { UnpricedNotice } from "@/components/ui/unpriced-notice";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState, Loading } from "@/components/ui/states";
import { ratio } from "@/components/ui/table/figures";
import { TONE_CLASS, change, changeTone, formatMoney, formatNumber } from "@/lib/format";
import { fetchOverview, overviewKeys, type OverviewResponse } from "./queries";
import { Card } from "@/components/ui/card";
import { ChartFrame } from "@/components/ui/chart-frame";
import { UrlSelect } from "@/components/filters/select";
import { ConversionNote, conversionColumns } from "@/components/currency/conversion-note";

type Ranked = OverviewResponse["topAgents"][number];
type Mover = OverviewResponse["movers"][number];
type Conversion = OverviewResponse["conversion"];

/** Top N by cost; a name opens its page, a cost opens the events behind it. */
function RankedTable({ title, rows, currency, conversion, total, hrefFor, eventsFor, csvName }: { title: string; rows: Ranked[]; currency: string; conversion: Conversion; total: string; hrefFor: (key: string) => string; eventsFor: (key: string) => string; csvName: string }) {
  const columns: Column<Ranked>[] = [
    { id: "name", header: "Name", value: (r) => r.name, cell: (r) => <Link href={hrefFor(r.key)} className="text-accent-foreground hover:underline">{r.name}</Link> },
    { id: "events", header: "Events", type: "number", value: (r) => r.events },
    {
      id: "cost",
      header: "Cost",
      type: "money",
      currency,
      value: (r) => r.cost,
      cell: (r) => (
        <Link href={eventsFor(r.key)} className="text-accent-foreground hover:underline" aria-label={`Events behind ${r.name}'s ${formatMoney(r.cost, currency)}`}>
          {formatMoney(r.cost, currency)}
        </Link>
      ),
    },
    ...conversionColumns<Ranked>(conversion, (r) => r.orgCost),
    { id: "share", header: "Share of spend", type: "percent", value: (r) => ratio(r.cost, total) },
  ];
  return <DataTable title={title} columns={columns} rows={rows} rowKey={(r) => String(r.id)} empty="No usage in this period." csvName={csvName} />;
}

function Movers({ movers, currency, conversion, range, csvName }: { movers: Mover[]; currency: string; conversion: Conversion; range: string; csvName: string }) {
  const columns: Column<Mover>[] = [
    {
      id: "name",
      header: "Name",
      value: (m) => m.name,
      cell: (m) => {
        const href = m.kind === "agent" ? `/agents/${encodeURIComponent(m.key)}?${range}` : `/usage?${range}&department=${encodeURIComponent(m.key)}&groupBy=agent`;
        return <Link href={href} className="text-accent-foreground hover:underline">{m.name}</Link>;
      },
    },
    { id: "kind", header: "Kind", value: (m) => m.kind },
    { id: "previous", header: "Previous", type: "money", currency, value: (m) => m.previousCost },
    { id: "current", header: "Current", type: "money", currency, value: (m) => m.cost },
    {
      id: "change",
      header: "Change",
      type: "money",
      currency,
      value: (m) => m.change,
      cell: (m) => {
        const up = Number(m.change) > 0;
        return (
          <span className={TONE_CLASS[changeTone(Number(m.change), "bad")]}>
            {up ? "▲ +" : "▼ "}
            {formatMoney(m.change, currency)}
          </span>
        );
      },
    },
    { id: "changePercent", header: "Change %", type: "percent", value: (m) => change(Number(m.cost), Number(m.previousCost)) },
    ...(conversion ? [{ id: "orgPrevious", header: `Previous (${conversion.from})`, type: "money" as const, currency: conversion.from, value: (m: Mover) => m.orgPreviousCost ?? null }] : []),
    ...conversionColumns<Mover>(conversion, (m) => m.orgCost),
  ];
  return (
    <DataTable
      title="Top movers"
      description="Change in cost vs the previous period of equal length."
      columns={columns}
      rows={movers}
      rowKey={(m) => `${m.kind}:${m.key}`}
      empty="No changes in cost."
      csvName={csvName}
    />
  );
}

export function OverviewView({ from, to, currency, currencies }: { from: string; to: string; currency: string; currencies: string[] }) {
  const router = useRouter();
  const query = useQuery({ queryKey: overviewKeys.range(from, to, currency), queryFn: ({ signal }) => fetchOverview(from, to, currency, signal) });
  if (query.isPending) return <Loading what="overview" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const data = query.data;
  const cost = Number(data.current.cost);
  const range = `from=${from}&to=${to}`;
  // The forecast, like budgets, stays in the organization currency.
  const orgCurrency = data.orgCurrency ?? data.currency;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        <UrlSelect param="currency" label="Currency" value={data.currency} options={currencies.map((c) => ({ key: c, label: c === orgCurrency ? `${c} (organization)` : c }))} />
      </div>
      {data.conversion && <ConversionNote conversion={data.conversion} unconverted={data.current.unconverted} also="and the forecast" />}
      <UnpricedNotice unpriced={data.unpriced} range={range} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Spend" testId="overview-spend" value={formatMoney(data.current.cost, data.currency)} delta={change(cost, Number(data.prior.cost))} upIs="bad" href={eventsHref(range)} />
        <StatCard label="Events" testId="overview-events" value={formatNumber(data.current.events)} delta={change(data.current.events, data.prior.events)} href={eventsHref(range)} />
        <StatCard label="Active agents" testId="overview-active-agents" value={formatNumber(data.current.activeAgents)} delta={change(data.current.activeAgents, data.prior.activeAgents)} />
        <Card>
          <div className="text-sm text-muted-foreground">Month-end forecast ({data.forecast.month})</div>
          <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid="overview-forecast">{formatMoney(data.forecast.forecast, orgCurrency)}</div>
          <div className="mt-1 text-xs text-muted-foreground">
            {formatMoney(data.forecast.monthToDate, orgCurrency)} so far · {data.forecast.runRateDays ? `${formatMoney(data.forecast.runRate, orgCurrency)}/day over the last ${data.forecast.runRateDays} complete days` : "no complete day yet to take a run rate from"}
          </div>
        </Card>
      </div>
      {data.current.events === 0 ? (
        <EmptyState title={`No data between ${from} and ${to}.`}>Pick another period: events exist, just not in this one.</EmptyState>
      ) : (
        <Card>
          <h2 className="mb-2 font-medium">Daily spend ({data.timeZone})</h2>
          <ChartFrame label={`Daily spend (${data.timeZone})`}>
            {/* A day's bar narrows the Overview to that day. */}
            <StackedChart
              label="Daily spend"
              kind="bar"
              height="h-64"
              rows={data.daily.map((d) => ({ start: d.day, label: bucketLabel(d.day, "day"), cost: Number(d.cost) }))}
              series={[{ key: "cost", label: "Spend" }]}
              format={(v) => formatMoney(v, data.currency, 0)}
              onActivate={(p) => router.push(`/?from=${p.row.start.slice(0, 10)}&to=${p.row.start.slice(0, 10)}`)}
              activateHint="show that day"
            />
          </ChartFrame>
        </Card>
      )}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <RankedTable
          title="Top departments by cost"
          rows={data.topDepartments}
          currency={data.currency}
          conversion={data.conversion}
          total={data.current.cost}
          hrefFor={(key) => `/usage?${range}&department=${encodeURIComponent(key)}`}
          eventsFor={(key) => eventsHref(range, { department: key })}
          csvName={`top-departments-${from}-${to}.csv`}
        />
        <RankedTable
          title="Top agents by cost"
          rows={data.topAgents}
          currency={data.currency}
          conversion={data.conversion}
          total={data.current.cost}
          hrefFor={(key) => `/agents/${encodeURIComponent(key)}?${range}`}
          eventsFor={(key) => eventsHref(range, { agent: key })}
          csvName={`top-agents-${from}-${to}.csv`}
        />
      </div>
      <Movers movers={data.movers} currency={data.currency} conversion={data.conversion} range={range} csvName={`top-movers-${from}-${to}.csv`} />
    </div>
  );
}
