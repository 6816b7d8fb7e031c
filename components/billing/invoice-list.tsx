"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import { useHydrated } from "@/components/ui/use-hydrated";
import { formatMoney } from "@/lib/format";
import { fetchInvoices, invoiceKeys, useGenerateDrafts } from "./queries";
import { StatusBadge } from "./status-badge";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";


export function InvoiceList({ period, status, canWrite }: { period: string; status: string; canWrite: boolean }) {
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

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-xs text-muted-foreground">
          Billing period
          <Input type="month" aria-label="Billing period" value={period} onChange={(e) => e.target.value && navigate({ period: e.target.value })} className="ml-1" />
        </label>
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
        <a href={`/api/v1/exports/focus?period=${period}`} className="text-sm text-accent-foreground hover:underline">FOCUS cost export (CSV)</a>
      </div>
      {generate.isError && <ErrorState error={generate.error} />}
      {query.isPending ? (
        <Loading what="invoices" />
      ) : query.isError ? (
        <ErrorState error={query.error} />
      ) : query.data.invoices.length === 0 ? (
        <Empty message={`No invoices for ${period}.${canWrite ? " Generate drafts to rate this month's usage." : ""}`} />
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="p-2 font-normal">Invoice</th>
              <th className="p-2 font-normal">Customer</th>
              <th className="p-2 font-normal">Status</th>
              <th className="p-2 text-right font-normal">Total</th>
            </tr>
          </thead>
          <tbody>
            {query.data.invoices.map((inv) => (
              <tr key={inv.id} className="border-t border-slate-100">
                <td className="p-2">
                  <Link href={`/invoices/${inv.id}`} className="text-indigo-700 hover:underline">{inv.number ?? `Draft #${inv.id}`}</Link>
                </td>
                <td className="p-2">
                  {inv.customer ? <Link href={`/customers/${encodeURIComponent(inv.customer.key)}`} className="hover:underline">{inv.customer.name}</Link> : "—"}
                </td>
                <td className="p-2"><StatusBadge status={inv.status} /></td>
                <td className="p-2 text-right tabular-nums">{formatMoney(inv.total, inv.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
