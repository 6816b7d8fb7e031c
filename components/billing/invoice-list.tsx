"use client";
// The month-end invoice list: filters in the URL, search/sort/paging on the server (GET /api/v1/invoices), totals
// per currency over everything that matches, selection for bulk finalize (with a confirmation summary) and send.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { MonthPicker } from "@/components/allocation/month-picker";
import { useUrlParams } from "@/components/filters/use-url-params";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Input, Select } from "@/components/ui/field";
import { ErrorState } from "@/components/ui/states";
import { useHydrated } from "@/components/ui/use-hydrated";
import { minorDigits } from "@/lib/billing/money";
import { formatMoney } from "@/lib/format";
import { BulkFinalizeDialog, SendResults } from "./month-end-actions";
import { PAGE_SIZE, fetchInvoices, invoiceKeys, useGenerateDrafts, useSendInvoices, type InvoiceListParams, type InvoiceSummary } from "./queries";
import { StatusBadge } from "./status-badge";

export type CustomerOption = { key: string; name: string };

/** An amount with its currency's minor-unit digits (JPY 0, USD 2, KWD 3). */
const money = (amount: string, currency: string) => formatMoney(amount, currency, minorDigits(currency), minorDigits(currency));

const FILTERS = ["status", "currency", "customer", "sent", "q", "sort", "order"] as const;

export function InvoiceList({ period, today, canWrite, customers, currencies }: { period: string; today: string; canWrite: boolean; customers: CustomerOption[]; currencies: string[] }) {
  const hydrated = useHydrated(); // enabled once hydrated, so an early click is never silently lost
  const url = useUrlParams();
  const params: InvoiceListParams = { period, ...Object.fromEntries(FILTERS.map((k) => [k, url.get(k)])) };
  const sort = { id: params.sort || "period", desc: (params.order || "desc") === "desc" };
  const query = useInfiniteQuery({
    queryKey: invoiceKeys.list(params),
    queryFn: ({ pageParam, signal }) => fetchInvoices(params, pageParam, signal),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => (pages.length * PAGE_SIZE < last.count ? pages.length * PAGE_SIZE : undefined),
  });
  const rows = query.data?.pages.flatMap((p) => p.invoices) ?? [];
  const first = query.data?.pages[0];
  const generate = useGenerateDrafts();
  const send = useSendInvoices();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const chosen = rows.filter((r) => selected.has(r.id));
  const toggle = (id: number) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const [search, setSearch] = useState(params.q ?? "");

  const columns: Column<InvoiceSummary>[] = [
    ...(canWrite
      ? [{
          id: "select",
          header: "",
          csv: false as const,
          cell: (inv: InvoiceSummary) => (
            <input type="checkbox" aria-label={`Select ${inv.number ?? `draft #${inv.id}`} (${inv.customer?.name ?? "no customer"})`} checked={selected.has(inv.id)} onChange={() => toggle(inv.id)} />
          ),
        }]
      : []),
    { id: "number", header: "Invoice", value: (inv) => inv.number ?? `Draft #${inv.id}`, cell: (inv) => <Link href={`/invoices/${inv.id}`} className="text-accent-foreground hover:underline">{inv.number ?? `Draft #${inv.id}`}</Link> },
    {
      id: "customer",
      header: "Customer",
      value: (inv) => inv.customer?.name ?? null,
      cell: (inv) => (inv.customer ? <Link href={`/customers/${encodeURIComponent(inv.customer.key)}`} className="hover:underline">{inv.customer.name}</Link> : "—"),
    },
    { id: "period", header: "Period", value: (inv) => inv.period },
    { id: "finalizedAt", header: "Finalized", type: "date", value: (inv) => inv.finalizedAt },
    { id: "total", header: "Total", type: "money", value: (inv) => inv.total, cell: (inv) => money(inv.total, inv.currency) },
    { id: "currency", header: "Currency", value: (inv) => inv.currency },
    {
      id: "status",
      header: "Status",
      value: (inv) => inv.status,
      cell: (inv) => (
        <span className="inline-flex gap-1">
          <StatusBadge status={inv.status} />
          {inv.awaitingApproval !== null && <Badge tone="info">awaiting approval</Badge>}
        </span>
      ),
    },
    { id: "sent", header: "Sent", csv: (inv) => inv.sent?.at ?? null, cell: (inv) => (inv.sent ? <span title={`to ${inv.sent.to}`}>{inv.sent.at.slice(0, 10)}</span> : "—") },
  ];
  const sortable = new Set(["number", "customer", "period", "finalizedAt", "total", "currency", "status"]);

  const filterSelect = (key: "status" | "currency" | "customer" | "sent", label: string, options: [string, string][]) => (
    <label className="text-xs text-muted-foreground">
      {label}
      <Select aria-label={label} value={params[key] ?? ""} onChange={(e) => url.set({ [key]: e.target.value || null })} className="ml-1">
        <option value="">All</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>{text}</option>
        ))}
      </Select>
    </label>
  );
  // "All drafts of the period matching the filters": the filters other than period, status and order.
  const filters = Object.fromEntries((["currency", "customer", "sent", "q"] as const).flatMap((k) => (params[k] ? [[k, params[k]]] : [])));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <MonthPicker period={period} today={today} label="Billing period" />
        {filterSelect("status", "Status", [["draft", "Draft"], ["finalized", "Finalized"], ["void", "Void"]])}
        {filterSelect("currency", "Currency", currencies.map((c) => [c, c]))}
        {filterSelect("customer", "Customer", customers.map((c) => [c.key, c.name]))}
        {filterSelect("sent", "Sent", [["yes", "Sent"], ["no", "Not sent"]])}
        <form role="search" onSubmit={(e) => { e.preventDefault(); url.set({ q: search.trim() || null }); }} className="flex items-end gap-1">
          <Input type="search" aria-label="Search invoices" placeholder="Customer or number…" value={search} onChange={(e) => setSearch(e.target.value)} className="h-8 w-48" />
          <Button size="sm" variant="secondary" type="submit">Search</Button>
        </form>
        {canWrite && (
          <Button size="sm" disabled={!hydrated || generate.isPending} onClick={() => generate.mutate(period)}>
            {generate.isPending ? "Generating…" : `Generate drafts for ${period}`}
          </Button>
        )}
        <a href={`/api/v1/exports/focus?period=${period}`} className="text-sm text-accent-foreground hover:underline">FOCUS 1.3 cost export (CSV)</a>
      </div>
      {canWrite && (
        <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Month-end actions">
          <span className="text-sm text-muted-foreground">{chosen.length} selected</span>
          <Button size="sm" variant="secondary" disabled={!hydrated} onClick={() => setSelected(new Set(rows.filter((r) => r.status === "draft").map((r) => r.id)))}>Select drafts shown</Button>
          <Button size="sm" variant="secondary" disabled={!hydrated} onClick={() => setSelected(new Set(rows.filter((r) => r.status === "finalized" && !r.sent).map((r) => r.id)))}>Select unsent finalized</Button>
          <Button size="sm" variant="ghost" disabled={chosen.length === 0} onClick={() => setSelected(new Set())}>Clear</Button>
          <BulkFinalizeDialog
            disabled={!hydrated || chosen.filter((r) => r.status === "draft").length === 0}
            label={`Finalize ${chosen.filter((r) => r.status === "draft").length} selected`}
            selection={{ ids: chosen.filter((r) => r.status === "draft").map((r) => r.id) }}
            onDone={() => setSelected(new Set())}
          />
          <BulkFinalizeDialog disabled={!hydrated} label={`Finalize all drafts of ${period} matching the filters`} selection={{ period, filters }} onDone={() => setSelected(new Set())} />
          <Button
            size="sm"
            disabled={!hydrated || send.isPending || chosen.filter((r) => r.status === "finalized").length === 0}
            onClick={() => send.mutate(chosen.filter((r) => r.status === "finalized").map((r) => r.id), { onSuccess: () => setSelected(new Set()) })}
          >
            {send.isPending ? "Sending…" : `Send ${chosen.filter((r) => r.status === "finalized").length} selected`}
          </Button>
        </div>
      )}
      {send.data && <SendResults result={send.data} />}
      {generate.isError && <ErrorState error={generate.error} />}
      {query.isError ? (
        <ErrorState error={query.error} />
      ) : (
        <DataTable
          title={`Invoices for ${period}`}
          heading={false}
          columns={columns}
          rows={rows}
          rowKey={(inv) => String(inv.id)}
          rowTestId={(inv) => `invoice-row-${inv.id}`}
          loading={query.isPending}
          empty={`No invoices for ${period} match these filters.${canWrite ? " Generate drafts to rate this month's usage." : ""}`}
          search={false}
          serverSort={{
            sort,
            onSort: (next) => (sortable.has(next.id) ? url.set({ sort: next.id, order: next.desc ? "desc" : "asc" }) : undefined),
          }}
          loadMore={{ hasMore: query.hasNextPage, loading: query.isFetchingNextPage, onMore: () => void query.fetchNextPage(), label: `Load ${PAGE_SIZE} more` }}
          csvName={`invoices-${period}.csv`}
          description={
            first && (
              <span data-testid="invoice-totals">
                {first.count} invoice{first.count === 1 ? "" : "s"} match
                {first.totals.map((t) => ` · ${t.currency} ${money(t.total, t.currency)} (${t.count})`).join("")}
              </span>
            )
          }
        />
      )}
    </div>
  );
}
