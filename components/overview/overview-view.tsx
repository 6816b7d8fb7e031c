"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { StatCard } from "@/components/ui/stat-card";
import { UnpricedNotice } from "@/components/ui/unpriced-notice";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { change, formatMoney, formatNumber } from "@/lib/format";
import { DailySpendChart } from "./daily-spend-chart";
import { fetchOverview, overviewKeys, type OverviewResponse } from "./queries";
import { Card } from "@/components/ui/card";
import { ChartFrame } from "@/components/ui/chart-frame";

function RankedTable({ title, rows, currency, hrefFor }: { title: string; rows: OverviewResponse["topAgents"]; currency: string; hrefFor: (key: string) => string }) {
  return (
    <Card>
      <h2 className="mb-2 font-medium">{title}</h2>
      {rows.length === 0 ? (
        <Empty message="No usage in this period." />
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="py-1 font-normal">Name</th>
              <th className="py-1 text-right font-normal">Events</th>
              <th className="py-1 text-right font-normal">Cost</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-100">
                <td className="py-1.5">
                  <Link href={hrefFor(r.key)} className="text-indigo-700 hover:underline">{r.name}</Link>
                </td>
                <td className="py-1.5 text-right tabular-nums">{formatNumber(r.events)}</td>
                <td className="py-1.5 text-right tabular-nums">{formatMoney(r.cost, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function Movers({ movers, currency, range }: { movers: OverviewResponse["movers"]; currency: string; range: string }) {
  return (
    <Card aria-label="Top movers">
      <h2 className="mb-2 font-medium">Top movers vs previous period</h2>
      {movers.length === 0 ? (
        <Empty message="No changes in cost." />
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="py-1 font-normal">Name</th>
              <th className="py-1 font-normal">Kind</th>
              <th className="py-1 text-right font-normal">Previous</th>
              <th className="py-1 text-right font-normal">Current</th>
              <th className="py-1 text-right font-normal">Change</th>
            </tr>
          </thead>
          <tbody>
            {movers.map((m) => {
              const up = Number(m.change) > 0;
              const href = m.kind === "agent" ? `/agents/${encodeURIComponent(m.key)}?${range}` : `/usage?${range}&department=${encodeURIComponent(m.key)}&groupBy=agent`;
              return (
                <tr key={`${m.kind}:${m.key}`} className="border-t border-slate-100">
                  <td className="py-1.5">
                    <Link href={href} className="text-indigo-700 hover:underline">{m.name}</Link>
                  </td>
                  <td className="py-1.5 text-slate-500">{m.kind}</td>
                  <td className="py-1.5 text-right tabular-nums">{formatMoney(m.previousCost, currency)}</td>
                  <td className="py-1.5 text-right tabular-nums">{formatMoney(m.cost, currency)}</td>
                  <td className={`py-1.5 text-right tabular-nums ${up ? "text-rose-700" : "text-emerald-700"}`}>
                    {up ? "▲ +" : "▼ "}
                    {formatMoney(m.change, currency)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function OverviewView({ from, to }: { from: string; to: string }) {
  const query = useQuery({ queryKey: overviewKeys.range(from, to), queryFn: ({ signal }) => fetchOverview(from, to, signal) });
  if (query.isPending) return <Loading what="overview" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const data = query.data;
  const cost = Number(data.current.cost);
  const range = `from=${from}&to=${to}`;
  return (
    <div className="space-y-6">
      <UnpricedNotice unpriced={data.unpriced} range={range} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Spend" testId="overview-spend" value={formatMoney(data.current.cost, data.currency)} delta={change(cost, Number(data.prior.cost))} />
        <StatCard label="Events" testId="overview-events" value={formatNumber(data.current.events)} delta={change(data.current.events, data.prior.events)} />
        <StatCard label="Active agents" testId="overview-active-agents" value={formatNumber(data.current.activeAgents)} delta={change(data.current.activeAgents, data.prior.activeAgents)} />
        <Card>
          <div className="text-sm text-muted-foreground">Month-end forecast ({data.forecast.month})</div>
          <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid="overview-forecast">{formatMoney(data.forecast.forecast, data.currency)}</div>
          <div className="mt-1 text-xs text-muted-foreground">
            {formatMoney(data.forecast.monthToDate, data.currency)} so far · {formatMoney(data.forecast.runRate, data.currency)}/day over the last 7 days
          </div>
        </Card>
      </div>
      {data.current.events === 0 ? (
        <EmptyState title={`No data between ${from} and ${to}.`}>Pick another period: events exist, just not in this one.</EmptyState>
      ) : (
        <Card>
          <h2 className="mb-2 font-medium">Daily spend ({data.timeZone})</h2>
          <ChartFrame label={`Daily spend (${data.timeZone})`}>
            <DailySpendChart currency={data.currency} data={data.daily.map((d) => ({ day: d.day, cost: Number(d.cost) }))} />
          </ChartFrame>
        </Card>
      )}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <RankedTable title="Top departments by cost" rows={data.topDepartments} currency={data.currency} hrefFor={(key) => `/usage?${range}&department=${encodeURIComponent(key)}`} />
        <RankedTable title="Top agents by cost" rows={data.topAgents} currency={data.currency} hrefFor={(key) => `/agents/${encodeURIComponent(key)}?${range}`} />
      </div>
      <Movers movers={data.movers} currency={data.currency} range={range} />
    </div>
  );
}
