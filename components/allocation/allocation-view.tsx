"use client";
import Link from "next/link";
import { StatCard } from "@/components/ui/stat-card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState, Loading } from "@/components/ui/states";
import { ratio, sum } from "@/components/ui/table/figures";
import { formatMoney, formatPercent } from "@/lib/format";
import type { AllocationDepartment } from "@/lib/allocation/schemas";
import { useRouter } from "next/navigation";
import { StackedChart } from "@/components/charts/stacked-chart";
import { prepareAllocationBars } from "./prepare";
import { useAllocation } from "./queries";
import { Card } from "@/components/ui/card";
import { ChartFrame } from "@/components/ui/chart-frame";

const REASONS = { unassigned: "no department", no_rule: "shared, no rule in force", no_driver: "no usage to split by" } as const;

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
      <span className="tabular-nums">{formatPercent(value / 100)}</span>
    </span>
  );
}

export function AllocationView({ period }: { period: string }) {
  const router = useRouter();
  const query = useAllocation(period);
  if (query.isPending) return <Loading what="allocation" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const data = query.data;
  const m = (v: string) => formatMoney(v, data.currency);
  const byCode = new Map(data.departments.map((d) => [d.code, d]));
  const money = { type: "money", currency: data.currency } as const;
  const columns: Column<AllocationDepartment>[] = [
    {
      id: "department",
      header: "Department",
      value: (d) => d.name,
      cell: (d) => (
        <span style={{ paddingLeft: `${depth(d, byCode) * 1.25}rem` }}>
          <Link href={`/allocation/${encodeURIComponent(d.code)}?period=${data.period}`} className="text-accent-foreground hover:underline">
            {d.name}
          </Link>{" "}
          <span className="text-xs text-muted-foreground">
            {d.code}
            {d.archived ? " · archived" : ""}
          </span>
        </span>
      ),
    },
    { id: "code", header: "Code", value: (d) => d.code, hidden: true },
    { id: "direct", header: "Direct", ...money, value: (d) => d.direct, total: "sum" },
    { id: "allocated", header: "Allocated", ...money, value: (d) => d.allocated, total: "sum" },
    { id: "total", header: "Total", ...money, value: (d) => d.total, total: "sum", testId: (d) => `allocation-total-${d.code}` },
    { id: "share", header: "Share of total", type: "percent", value: (d) => ratio(d.total, data.total), total: (rows) => ratio(sum(rows.map((d) => d.total)), data.total) },
    // Parents include their children: summing this column would count them twice.
    { id: "subtreeTotal", header: "Incl. sub-departments", ...money, value: (d) => d.subtreeTotal },
    { id: "budget", header: "Budget", ...money, value: (d) => d.budget, testId: (d) => `allocation-budget-${d.code}` },
    { id: "budgetUsed", header: "Budget used", type: "percent", value: (d) => (d.budgetUsed === null ? null : Number(d.budgetUsed) / 100), cell: (d) => <BudgetUsed percent={d.budgetUsed} /> },
    { id: "forecast", header: "Forecast", ...money, value: (d) => d.forecast, total: "sum" },
  ];
  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard label={`Total cost ${data.period}`} testId="allocation-total" value={m(data.total)} />
        <StatCard label="Unallocated" testId="allocation-unallocated" value={data.unallocated === null ? "—" : m(data.unallocated)} />
        <StatCard label="Forecast to month end" testId="allocation-forecast" value={m(data.forecast)} />
      </div>
      {data.departments.length > 0 && (
        <Card>
          <h2 className="mb-2 font-medium">Cost per department</h2>
          <ChartFrame label="Cost per department">
            {/* A department's bar opens its statement; "Other" is not one department and stays put. */}
            <StackedChart
              label="Cost per department, direct and allocated"
              kind="bar"
              height="h-64"
              rows={prepareAllocationBars(data.departments).map((b) => ({ start: b.code ?? "", label: b.label, direct: b.direct, allocated: b.allocated }))}
              series={[{ key: "direct", label: "Direct" }, { key: "allocated", label: "Allocated (shared agents)" }]}
              format={(v) => formatMoney(v, data.currency, 0)}
              onActivate={(p) => p.row.start && router.push(`/allocation/${encodeURIComponent(p.row.start)}?period=${data.period}`)}
              activateHint="open the department's statement"
            />
          </ChartFrame>
        </Card>
      )}
      <DataTable
        title="Allocation by department"
        description={`Departments (${data.timeZone}, ${data.from} to ${data.to}); share of the period's total cost.`}
        columns={columns}
        rows={data.departments}
        rowKey={(d) => d.code}
        rowTestId={(d) => `allocation-row-${d.code}`}
        pageSize={100}
        totals
        empty="No departments to show."
        csvName={`allocation-${data.period}.csv`}
      />
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
