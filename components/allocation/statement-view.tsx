"use client";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { formatMoney, formatNumber } from "@/lib/format";
import { useStatement } from "./queries";
import { Button } from "@/components/ui/button";

export function StatementView({ code, period }: { code: string; period: string }) {
  const query = useStatement(code, period);
  if (query.isPending) return <Loading what="statement" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const s = query.data;
  const m = (v: string) => formatMoney(v, s.currency);
  const file = (format: string) => `/api/v1/allocation/${encodeURIComponent(code)}?period=${period}&format=${format}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <span>Direct <strong className="tabular-nums">{m(s.department.direct)}</strong></span>
        <span>Allocated <strong className="tabular-nums">{m(s.department.allocated)}</strong></span>
        <span>Total <strong className="tabular-nums" data-testid="statement-total">{m(s.department.total)}</strong></span>
        {s.department.budget && <span>Budget {m(s.department.budget)} ({s.department.budgetUsed}% used)</span>}
        <Button asChild variant="secondary"><a href={file("csv")} download>Download CSV</a></Button>
        <Button asChild variant="secondary"><a href={file("pdf")} download>Download PDF</a></Button>
      </div>
      {s.lines.length === 0 ? (
        <Empty message="No cost in this period." />
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-sm" aria-label="Statement lines">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="p-2 font-normal">Agent</th>
              <th className="p-2 font-normal">Kind</th>
              <th className="p-2 font-normal">Allocation rule</th>
              <th className="p-2 text-right font-normal">Share</th>
              <th className="p-2 text-right font-normal">Events</th>
              <th className="p-2 text-right font-normal">Quantity</th>
              <th className="p-2 text-right font-normal">Amount</th>
            </tr>
          </thead>
          <tbody>
            {s.lines.map((l) => (
              <tr key={`${l.agent.key}-${l.kind}-${l.rule?.id ?? 0}-${l.adjusts ?? ""}`} className="border-t border-slate-100">
                <td className="p-2">{l.agent.name} <span className="text-xs text-slate-500">{l.agent.key}</span></td>
                <td className="p-2">{l.kind === "adjustment" ? `adjustment for ${l.adjusts} (closed)` : l.kind}</td>
                <td className="p-2">{l.rule ? `#${l.rule.id} ${l.rule.method}${l.rule.driver ? ` by ${l.rule.driver}` : ""}, from ${l.rule.effectiveFrom}` : "—"}</td>
                <td className="p-2 text-right tabular-nums">{l.sharePercent ? `${Number(l.sharePercent).toFixed(2)}%` : "—"}</td>
                <td className="p-2 text-right tabular-nums">{formatNumber(l.events)}</td>
                <td className="p-2 text-right tabular-nums">{formatNumber(l.quantity, 2)}</td>
                <td className="p-2 text-right tabular-nums">{m(l.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
