"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { StatCard } from "@/components/ui/stat-card";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { change, formatMoney, formatNumber } from "@/lib/format";
import { DailySpendChart } from "./daily-spend-chart";
import { fetchOverview, overviewKeys, type OverviewResponse } from "./queries";

function RankedTable({ title, rows, currency, hrefFor }: { title: string; rows: OverviewResponse["topAgents"]; currency: string; hrefFor: (key: string) => string }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4">
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
    </section>
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
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard label="Spend" testId="overview-spend" value={formatMoney(data.current.cost, data.currency)} delta={change(cost, Number(data.prior.cost))} />
        <StatCard label="Events" testId="overview-events" value={formatNumber(data.current.events)} delta={change(data.current.events, data.prior.events)} />
        <StatCard label="Active agents" testId="overview-active-agents" value={formatNumber(data.current.activeAgents)} delta={change(data.current.activeAgents, data.prior.activeAgents)} />
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Daily spend ({data.timeZone})</h2>
        <DailySpendChart currency={data.currency} data={data.daily.map((d) => ({ day: d.day, cost: Number(d.cost) }))} />
      </section>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <RankedTable title="Top departments by cost" rows={data.topDepartments} currency={data.currency} hrefFor={(key) => `/usage?${range}&department=${encodeURIComponent(key)}`} />
        <RankedTable title="Top agents by cost" rows={data.topAgents} currency={data.currency} hrefFor={(key) => `/agents/${encodeURIComponent(key)}?${range}`} />
      </div>
    </div>
  );
}
