"use client";
import Link from "next/link";
import { useState } from "react";
import { BudgetLimitUse } from "@/components/budgets/limit-use";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Field, Textarea } from "@/components/ui/field";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { StatCard } from "@/components/ui/stat-card";
import { ErrorState, Loading } from "@/components/ui/states";
import { ratio, sum } from "@/components/ui/table/figures";
import { formatMoney, formatPercent } from "@/lib/format";
import type { AllocationDepartment, AllocationResponse } from "@/lib/allocation/schemas";
import { rateDatesText } from "@/components/currency/conversion-note";
import { AllocationConversionNote } from "./conversion-note";
import { UrlSelect } from "@/components/filters/select";
import { minorUnits } from "@/lib/currency/iso4217";
import { useRouter } from "next/navigation";
import { StackedChart } from "@/components/charts/stacked-chart";
import { prepareAllocationBars } from "./prepare";
import { useAllocation, useCloseMonth, useReopenMonth } from "./queries";
import { ChartFrame } from "@/components/ui/chart-frame";

const REASONS = { unassigned: "no department", no_rule: "shared, no rule in force", no_driver: "no usage to split by", adjustment: "adjustment for a closed month" } as const;

function depth(d: AllocationDepartment, byCode: Map<string, AllocationDepartment>): number {
  let n = 0;
  for (let p = d.parent; p && n < 20; p = byCode.get(p)?.parent ?? null) n++;
  return n;
}

function BudgetUsed({ percent }: { percent: string | null }) {
  if (percent === null) return <span className="text-muted-foreground">—</span>;
  const value = Number(percent);
  const colour = value >= 100 ? "bg-danger-solid" : value >= 80 ? "bg-warning-border" : "bg-success";
  return (
    <span className="inline-flex items-center gap-2">
      <span className="h-2 w-16 overflow-hidden rounded bg-border" aria-hidden>
        <span className={`block h-2 ${colour}`} style={{ width: `${Math.min(100, value)}%` }} />
      </span>
      <span className="tabular-nums">{formatPercent(value / 100)}</span>
    </span>
  );
}

/** What the signed-in user may do here (the server checks it again). */
export type AllocationAbilities = { manage: boolean; close: boolean; exportFiles: boolean; currentMonth: string };

function CloseControls({ data, can }: { data: AllocationResponse; can: AllocationAbilities }) {
  const confirm = useConfirm();
  const close = useCloseMonth();
  const reopen = useReopenMonth();
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState("");
  if (data.closed) {
    return (
      <div className="flex flex-wrap items-center gap-2" data-testid="month-status">
        <Badge tone="info">Closed {data.closed.closedAt.slice(0, 10)}{data.closed.closedBy ? ` by ${data.closed.closedBy}` : ""}</Badge>
        {can.close && (
          <Dialog open={reopening} onOpenChange={setReopening}>
            <Button variant="secondary" size="sm" onClick={() => setReopening(true)}>Reopen month</Button>
            <DialogContent title={`Reopen ${data.period}`} description="Its figures become live again: every change since closing shows in the month itself, not as adjustments. Audited with your reason.">
              <form
                className="space-y-3"
                onSubmit={async (e) => {
                  e.preventDefault();
                  await reopen.mutateAsync({ period: data.period, reason });
                  setReopening(false);
                  setReason("");
                }}
              >
                <Field label="Reason" hint="At least 3 characters; kept in the audit log.">
                  <Textarea value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
                </Field>
                <div className="flex justify-end gap-2">
                  <Button variant="secondary" onClick={() => setReopening(false)}>Cancel</Button>
                  <Button type="submit" variant="danger" disabled={reason.trim().length < 3 || reopen.isPending}>Reopen {data.period}</Button>
                </div>
              </form>
            </DialogContent>
          </Dialog>
        )}
      </div>
    );
  }
  const ended = data.period < can.currentMonth;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="month-status">
      <Badge tone="neutral">Open</Badge>
      {can.close && ended && (
        <Button
          size="sm"
          disabled={close.isPending}
          onClick={async () => {
            const ok = await confirm({
              title: `Close ${data.period}?`,
              description: `Its chargeback (${formatMoney(data.conversion?.orgTotal ?? data.total, data.orgCurrency ?? data.currency)}) is frozen. Later changes — rules, shared agents, late events, corrections — are carried into the next open month as adjustments.`,
              confirmLabel: `Close ${data.period}`,
            });
            if (ok) await close.mutateAsync(data.period);
          }}
        >
          Close month
        </Button>
      )}
    </div>
  );
}

/** The files follow the display currency, except the journal: entries are booked in the organization currency. */
function ExportButtons({ period, currency }: { period: string; currency: string | null }) {
  const file = (format: string, label: string, converted = true) => (
    <Button asChild variant="secondary" size="sm" key={format}>
      <a href={`/api/v1/exports/chargeback?${new URLSearchParams({ period, format, ...(converted && currency ? { currency } : {}) })}`} download>{label}</a>
    </Button>
  );
  return (
    <div className="flex flex-wrap items-center gap-2" aria-label="Download the month's chargeback" role="group">
      {file("csv", "CSV")}
      {file("xlsx", "Excel")}
      {file("pdf", "PDF")}
      {file("journal", "Journal entries", false)}
    </div>
  );
}

export function AllocationView({ period, currency, currencies, can }: { period: string; currency: string; currencies: string[]; can: AllocationAbilities }) {
  const router = useRouter();
  const query = useAllocation(period, currency);
  const picker = <UrlSelect param="currency" label="Currency" value={currency} options={currencies.map((c) => ({ key: c, label: c }))} />;
  if (query.isPending) return <Loading what="allocation" />;
  if (query.isError) return <div className="space-y-3">{picker}<ErrorState error={query.error} /></div>;
  const data = query.data;
  const places = minorUnits(data.currency);
  const m = (v: string) => formatMoney(v, data.currency, places, places);
  // Budgets and forecasts stay in the organization currency.
  const orgCurrency = data.orgCurrency ?? data.currency;
  const org = (v: string) => formatMoney(v, orgCurrency);
  const byCode = new Map(data.departments.map((d) => [d.code, d]));
  const money = { type: "money", currency: data.currency, digits: places } as const;
  const orgMoney = { type: "money", currency: orgCurrency, digits: 2 } as const;
  const hasAdjustments = data.departments.some((d) => d.adjustments !== "0.00");
  const columns: Column<AllocationDepartment>[] = [
    {
      id: "department",
      header: "Department",
      value: (d) => d.name,
      cell: (d) => (
        <span style={{ paddingLeft: `${depth(d, byCode) * 1.25}rem` }}>
          <Link href={`/allocation/${encodeURIComponent(d.code)}?${new URLSearchParams({ period: data.period, ...(data.conversion ? { currency: data.currency } : {}) })}`} className="text-accent-foreground hover:underline">
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
    { id: "allocated", header: "Allocated", ...money, value: (d) => d.allocated, total: "sum", testId: (d) => `allocation-allocated-${d.code}` },
    { id: "adjustments", header: "Adjustments", ...money, value: (d) => d.adjustments, total: "sum", hidden: !hasAdjustments, testId: (d) => `allocation-adjustments-${d.code}` },
    { id: "total", header: "Total", ...money, value: (d) => d.total, total: "sum", testId: (d) => `allocation-total-${d.code}` },
    { id: "share", header: "Share of total", type: "percent", value: (d) => ratio(d.total, data.total), total: (rows) => ratio(sum(rows.map((d) => d.total)), data.total) },
    // Parents include their children: summing this column would count them twice.
    { id: "subtreeTotal", header: "Incl. sub-departments", ...money, value: (d) => d.subtreeTotal },
    ...(data.conversion
      ? ([
          { id: "orgTotal", header: `Total (${orgCurrency})`, ...orgMoney, value: (d) => d.orgTotal ?? null, total: "sum", testId: (d) => `allocation-org-total-${d.code}` },
          { id: "unconverted", header: `Not converted (${orgCurrency})`, ...orgMoney, value: (d) => d.unconverted ?? null, total: "sum", hidden: data.conversion.unconverted === "0.00" },
          { id: "rateDate", header: "Rate date", type: "text", value: () => rateDatesText(data.conversion!.rateDates) },
        ] satisfies Column<AllocationDepartment>[])
      : []),
    { id: "budget", header: data.conversion ? `Budget (${orgCurrency})` : "Budget", ...orgMoney, value: (d) => d.budget, testId: (d) => `allocation-budget-${d.code}` },
    { id: "budgetUsed", header: "Budget used", type: "percent", value: (d) => (d.budgetUsed === null ? null : Number(d.budgetUsed) / 100), cell: (d) => <BudgetUsed percent={d.budgetUsed} /> },
    { id: "forecast", header: data.conversion ? `Forecast (${orgCurrency})` : "Forecast", ...orgMoney, value: (d) => d.forecast, total: "sum" },
  ];
  type Unallocated = AllocationResponse["unallocatedLines"][number];
  const unallocatedColumns: Column<Unallocated>[] = [
    { id: "agent", header: "Agent", value: (l) => l.agent.name },
    { id: "reason", header: "Why", value: (l) => (l.reason === "adjustment" ? `adjustment for ${l.adjusts}` : REASONS[l.reason]) },
    { id: "amount", header: "Amount", ...money, value: (l) => l.amount, total: "sum" },
    ...(data.conversion ? ([{ id: "orgAmount", header: `Amount (${orgCurrency})`, ...orgMoney, value: (l) => l.orgAmount ?? null }] satisfies Column<Unallocated>[]) : []),
    {
      id: "action", header: "Action", csv: false,
      cell: (l) =>
        can.manage && (l.reason === "no_rule" || l.reason === "no_driver") ? (
          <Link className="text-accent-foreground hover:underline" href={`/allocation/rules?agent=${encodeURIComponent(l.agent.key)}&from=${data.period}-01`}>
            Add a rule for {l.agent.name}
          </Link>
        ) : null,
    },
  ];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <CloseControls data={data} can={can} />
        <div className="flex flex-wrap items-end gap-3">
          {picker}
          {can.exportFiles && <ExportButtons period={data.period} currency={data.conversion ? data.currency : null} />}
        </div>
      </div>
      {data.conversion && <AllocationConversionNote conversion={data.conversion} />}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard label={`Total cost ${data.period}`} testId="allocation-total" value={m(data.total)} />
        <StatCard label="Unallocated" testId="allocation-unallocated" value={data.unallocated === null ? "—" : m(data.unallocated)} />
        <StatCard label="Forecast to month end" testId="allocation-forecast" value={org(data.forecast)} />
      </div>
      <BudgetLimitUse />
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
        description={`Departments (${data.timeZone}, ${data.from} to ${data.to}); share of the period's total cost.${data.closed ? " Closed: figures frozen; later changes appear in the next open month as adjustments." : ""}`}
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
        <DataTable
          title="Unallocated cost"
          columns={unallocatedColumns}
          rows={data.unallocatedLines}
          rowKey={(l) => `${l.agent.key}-${l.reason}-${l.adjusts ?? ""}`}
          csvName={`unallocated-${data.period}.csv`}
          totals
        />
      )}
    </div>
  );
}
