"use client";
import Link from "next/link";
import { StatCard } from "@/components/ui/stat-card";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { formatMoney } from "@/lib/format";
import type { AllocationDepartment } from "@/lib/allocation/schemas";
import { AllocationChart } from "./allocation-chart";
import { prepareAllocationBars } from "./prepare";
import { useAllocation } from "./queries";

const REASONS = { unassigned: "no department", no_rule: "shared, no rule in force", no_driver: "no usage to split by", adjustment: "adjustment for a closed month" } as const;

function depth(d: AllocationDepartment, byCode: Map<string, AllocationDepartment>): number {
  let n = 0;
  for (let p = d.parent; p && n < 20; p = byCode.get(p)?.parent ?? null) n++;
  return n;
}

function BudgetUsed({ percent }: { percent: string | null }) {
  if (percent === null) return <span className="text-muted-foreground">—</span>;
  const value = Number(percent);
  const colour = value >= 100 ? "bg-rose-500" : value >= 80 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <span className="inline-flex items-center gap-2">
      <span className="h-2 w-16 overflow-hidden rounded bg-slate-200" aria-hidden>
        <span className={`block h-2 ${colour}`} style={{ width: `${Math.min(100, value)}%` }} />
      </span>
      <span className="tabular-nums">{value.toFixed(1)}%</span>
    </span>
  );
}

export function AllocationView({ period }: { period: string }) {
  const query = useAllocation(period);
  if (query.isPending) return <Loading what="allocation" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const data = query.data;
  const m = (v: string) => formatMoney(v, data.currency);
  const byCode = new Map(data.departments.map((d) => [d.code, d]));
  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard label={`Total cost ${data.period}`} testId="allocation-total" value={m(data.total)} />
        <StatCard label="Unallocated" testId="allocation-unallocated" value={data.unallocated === null ? "—" : m(data.unallocated)} />
        <StatCard label="Forecast to month end" testId="allocation-forecast" value={m(data.forecast)} />
      </div>
      {data.departments.length > 0 && (
        <section className="rounded-card border border-border bg-surface p-4">
          <h2 className="mb-2 font-medium">Cost per department</h2>
          <AllocationChart bars={prepareAllocationBars(data.departments)} currency={data.currency} />
        </section>
      )}
      <section className="overflow-x-auto rounded-card border border-border bg-surface p-4">
        <h2 className="mb-2 font-medium">Departments ({data.timeZone}, {data.from} to {data.to})</h2>
        {data.departments.length === 0 ? (
          <Empty message="No departments to show." />
        ) : (
          <table className="w-full text-sm" aria-label="Allocation by department">
            <thead>
              <tr className="text-left text-slate-500">
                <th className="py-1 font-normal">Department</th>
                {["Direct", "Allocated", "Total", "Incl. sub-departments", "Budget", "Budget used", "Forecast"].map((h) => (
                  <th key={h} className="py-1 text-right font-normal">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.departments.map((d) => (
                <tr key={d.code} className="border-t border-slate-100" data-testid={`allocation-row-${d.code}`}>
                  <td className="py-1.5" style={{ paddingLeft: `${depth(d, byCode) * 1.25}rem` }}>
                    <Link href={`/allocation/${encodeURIComponent(d.code)}?period=${data.period}`} className="text-indigo-700 hover:underline">
                      {d.name}
                    </Link>{" "}
                    <span className="text-xs text-slate-500">{d.code}{d.archived ? " · archived" : ""}</span>
                  </td>
                  <td className="py-1.5 text-right tabular-nums">{m(d.direct)}</td>
                  <td className="py-1.5 text-right tabular-nums">{m(d.allocated)}</td>
                  <td className="py-1.5 text-right font-medium tabular-nums" data-testid={`allocation-total-${d.code}`}>{m(d.total)}</td>
                  <td className="py-1.5 text-right tabular-nums text-slate-500">{m(d.subtreeTotal)}</td>
                  <td className="py-1.5 text-right tabular-nums" data-testid={`allocation-budget-${d.code}`}>{d.budget === null ? "—" : m(d.budget)}</td>
                  <td className="py-1.5 text-right"><BudgetUsed percent={d.budgetUsed} /></td>
                  <td className="py-1.5 text-right tabular-nums">{m(d.forecast)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {data.unallocatedLines.length > 0 && (
        <section className="rounded-card border border-warning-border bg-warning-soft p-4">
          <h2 className="mb-2 font-medium">Unallocated cost</h2>
          <ul className="space-y-1 text-sm">
            {data.unallocatedLines.map((l) => (
              <li key={`${l.agent.key}-${l.reason}`} className="flex justify-between gap-4">
                <span>{l.agent.name} <span className="text-muted-foreground">({REASONS[l.reason]})</span></span>
                <span className="tabular-nums">{m(l.amount)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
