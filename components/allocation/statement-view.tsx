"use client";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState, Loading } from "@/components/ui/states";
import { formatMoney, formatNumber } from "@/lib/format";
import { useStatement } from "./queries";
import { Button } from "@/components/ui/button";
import { minorUnits } from "@/lib/currency/iso4217";
import { AllocationConversionNote } from "./conversion-note";

type Line = NonNullable<ReturnType<typeof useStatement>["data"]>["lines"][number];

/** `currency`: a display currency (the allocation page's), else the organization's; budgets and forecasts stay in the latter. */
export function StatementView({ code, period, currency }: { code: string; period: string; currency?: string }) {
  const query = useStatement(code, period, currency);
  if (query.isPending) return <Loading what="statement" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const s = query.data;
  const places = minorUnits(s.currency);
  const m = (v: string) => formatMoney(v, s.currency, places, places);
  const orgCurrency = s.orgCurrency ?? s.currency;
  const org = (v: string) => formatMoney(v, orgCurrency);
  const columns: Column<Line>[] = [
    { id: "agent", header: "Agent", value: (l) => l.agent.name, cell: (l) => <>{l.agent.name} <span className="text-xs text-muted-foreground">{l.agent.key}</span></> },
    { id: "kind", header: "Kind", value: (l) => (l.kind === "adjustment" ? `adjustment for ${l.adjusts} (closed)` : l.kind) },
    { id: "rule", header: "Allocation rule", value: (l) => (l.rule ? `#${l.rule.id} ${l.rule.method}${l.rule.driver ? ` by ${l.rule.driver}` : ""}, from ${l.rule.effectiveFrom}` : null) },
    { id: "share", header: "Share", type: "percent", digits: 2, value: (l) => (l.sharePercent ? Number(l.sharePercent) / 100 : null) },
    { id: "events", header: "Events", type: "number", value: (l) => l.events, total: "sum" },
    { id: "quantity", header: "Quantity", type: "number", digits: 2, value: (l) => l.quantity, total: "sum" },
    { id: "amount", header: "Amount", type: "money", currency: s.currency, digits: places, value: (l) => l.amount, total: "sum" },
    ...(s.conversion ? ([{ id: "orgAmount", header: `Amount (${orgCurrency})`, type: "money", currency: orgCurrency, value: (l) => l.orgAmount ?? null }] satisfies Column<Line>[]) : []),
  ];
  const file = (format: string) => `/api/v1/allocation/${encodeURIComponent(code)}?${new URLSearchParams({ period, format, ...(s.conversion ? { currency: s.currency } : {}) })}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <span>Direct <strong className="tabular-nums">{m(s.department.direct)}</strong></span>
        <span>Allocated <strong className="tabular-nums">{m(s.department.allocated)}</strong></span>
        <span>Total <strong className="tabular-nums" data-testid="statement-total">{m(s.department.total)}</strong></span>
        {s.department.orgTotal && <span>Total in {orgCurrency} <strong className="tabular-nums">{org(s.department.orgTotal)}</strong></span>}
        {s.department.budget && <span>Budget {org(s.department.budget)} ({formatNumber(s.department.budgetUsed ?? 0, 2)}% used)</span>}
        <span>Forecast to month end <strong className="tabular-nums" data-testid="statement-forecast">{org(s.department.forecast)}</strong></span>
        <Button asChild variant="secondary"><a href={file("csv")} download>Download CSV</a></Button>
        <Button asChild variant="secondary"><a href={file("pdf")} download>Download PDF</a></Button>
      </div>
      {s.conversion && <AllocationConversionNote conversion={s.conversion} />}
      <DataTable
        title="Statement lines"
        heading={false}
        columns={columns}
        rows={s.lines}
        rowKey={(l) => `${l.agent.key}-${l.kind}-${l.rule?.id ?? 0}-${l.adjusts ?? ""}`}
        pageSize={100}
        totals
        empty="No cost in this period."
        // No table CSV: the statement's own CSV and PDF (above) are the documents of record.
      />
    </div>
  );
}
