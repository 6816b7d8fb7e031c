"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { DataTable, type Column } from "@/components/ui/data-table";
import { MonthPicker } from "@/components/allocation/month-picker";
import { ErrorState } from "@/components/ui/states";
import { useHydrated } from "@/components/ui/use-hydrated";
import { formatMoney } from "@/lib/format";
import { fetchInvoices, invoiceKeys, useGenerateDrafts } from "./queries";

type Invoice = Awaited<ReturnType<typeof fetchInvoices>>["invoices"][number];
import { StatusBadge } from "./status-badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";


export function InvoiceList({ period, today, status, canWrite }: { period: string; today: string; status: string; canWrite: boolean }) {
  const router = useRouter();
  // Enabled once hydrated, so an early click is never silently lost.
  const hydrated = useHydrated();
  const pathname = usePathname();
  const query = useQuery({ queryKey: invoiceKeys.list(period, status), queryFn: ({ signal }) => fetchInvoices(period, status, signal) });
  const generate = useGenerateDrafts();
  const navigate = (next: { period?: string; status?: string }) => {
    const search = new URLSearchParams({ period: next.period ?? period, ...((next.status ?? status) ? { status: next.status ?? status } : {}) });
    router.push(`${pathname}?${search}`);
  };

  const columns: Column<Invoice>[] = [
    { id: "number", header: "Invoice", value: (inv) => inv.number ?? `Draft #${inv.id}`, cell: (inv) => <Link href={`/invoices/${inv.id}`} className="text-accent-foreground hover:underline">{inv.number ?? `Draft #${inv.id}`}</Link> },
    {
      id: "customer",
      header: "Customer",
      value: (inv) => inv.customer?.name ?? null,
      cell: (inv) => (inv.customer ? <Link href={`/customers/${encodeURIComponent(inv.customer.key)}`} className="hover:underline">{inv.customer.name}</Link> : "—"),
    },
    { id: "status", header: "Status", value: (inv) => inv.status, cell: (inv) => <StatusBadge status={inv.status} /> },
    { id: "currency", header: "Currency", value: (inv) => inv.currency, hidden: true },
    { id: "total", header: "Total", type: "money", value: (inv) => inv.total, cell: (inv) => formatMoney(inv.total, inv.currency) },
  ];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <MonthPicker period={period} today={today} label="Billing period" />
        <label className="text-xs text-muted-foreground">
          Status
          <Select aria-label="Status" value={status} onChange={(e) => navigate({ status: e.target.value })} className="ml-1">
            <option value="">All</option>
            <option value="draft">Draft</option>
            <option value="finalized">Finalized</option>
            <option value="void">Void</option>
          </Select>
        </label>
        {canWrite && (
          <Button size="sm" disabled={!hydrated || generate.isPending} onClick={() => generate.mutate(period)}>
            {generate.isPending ? "Generating…" : `Generate drafts for ${period}`}
          </Button>
        )}
        <a href={`/api/v1/exports/focus?period=${period}`} className="text-sm text-accent-foreground hover:underline">FOCUS 1.3 cost export (CSV)</a>
      </div>
      {generate.isError && <ErrorState error={generate.error} />}
      {query.isError ? (
        <ErrorState error={query.error} />
      ) : (
        <DataTable
          title={`Invoices for ${period}`}
          heading={false}
          columns={columns}
          rows={query.data?.invoices ?? []}
          rowKey={(inv) => String(inv.id)}
          loading={query.isPending}
          empty={`No invoices for ${period}.${canWrite ? " Generate drafts to rate this month's usage." : ""}`}
          pageSize={50}
          csvName={`invoices-${period}.csv`}
        />
      )}
    </div>
  );
}
