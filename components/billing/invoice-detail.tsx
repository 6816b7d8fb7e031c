"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState, Loading } from "@/components/ui/states";
import { formatMoney, formatNumber } from "@/lib/format";
import { fetchInvoice, invoiceKeys, useInvoiceAction, type InvoiceDetail } from "./queries";
import { StatusBadge } from "./status-badge";

type Line = InvoiceDetail["lines"][number];

const kindLabel: Record<string, string> = { usage: "Usage", minimum: "Minimum", commitment: "Commitment", adjustment: "Adjustment", late_adjustment: "Late usage" };
const field = "rounded-md border border-slate-300 px-2 py-1 text-sm";
const button = "rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50";

function Lines({ invoice }: { invoice: InvoiceDetail }) {
  const money = (a: string) => formatMoney(a, invoice.currency);
  const metered = (l: Line) => l.kind === "usage" || l.kind === "commitment";
  const columns: Column<Line>[] = [
    { id: "kind", header: "Kind", value: (l) => kindLabel[l.kind] ?? l.kind, cell: (l) => <span className="text-muted-foreground">{kindLabel[l.kind] ?? l.kind}</span> },
    {
      id: "description",
      header: "Description",
      value: (l) => l.description,
      cell: (l) => (
        <>
          {l.description}
          {l.reason && <div className="text-xs text-muted-foreground">Reason: {l.reason}</div>}
          {l.tiers && l.tiers.length > 0 && (
            <details className="text-xs text-muted-foreground">
              <summary className="cursor-pointer">Tier breakdown</summary>
              <ul>
                {l.tiers.map((t) => (
                  <li key={t.from}>
                    {formatNumber(t.from)}–{t.upTo === null ? "∞" : formatNumber(t.upTo)}: {formatNumber(t.quantity, 6)} × {formatMoney(t.unitPrice, invoice.currency, 8)}
                    {t.flatFee !== "0" && ` + ${money(t.flatFee)}`} = {formatMoney(t.amount, invoice.currency, 8)}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {l.usageRef && "meter" in l.usageRef && (
            <div className="text-xs text-muted-foreground">
              Usage: {String(l.usageRef.eventType ?? "all")} events, {String(l.usageRef.from).slice(0, 10)} to {String(l.usageRef.to).slice(0, 10)}, plan {String(l.usageRef.plan)}
            </div>
          )}
        </>
      ),
    },
    { id: "quantity", header: "Quantity", type: "number", digits: 6, value: (l) => (metered(l) ? l.quantity : null), cell: (l) => (metered(l) ? `${formatNumber(l.quantity, 6)} ${l.meter?.unit ?? ""}` : "") },
    { id: "unit", header: "Unit", value: (l) => (metered(l) ? (l.meter?.unit ?? null) : null), hidden: true },
    { id: "unitPrice", header: "Unit price", type: "money", currency: invoice.currency, digits: 8, value: (l) => l.unitPrice, cell: (l) => (l.unitPrice ? formatMoney(l.unitPrice, invoice.currency, 8) : "") },
    { id: "amount", header: "Amount", type: "money", currency: invoice.currency, value: (l) => l.amount },
  ];
  return (
    <DataTable
      title="Invoice lines"
      heading={false}
      columns={columns}
      rows={invoice.lines}
      rowKey={(l) => String(l.id)}
      pageSize={200}
      // No table CSV: the invoice's own CSV (the link above) is the document of record.
      empty="No lines."
      summary={[
        { label: "Subtotal", values: { amount: invoice.subtotal }, testId: "invoice-subtotal" },
        { label: "Adjustments", values: { amount: invoice.adjustmentsTotal }, testId: "invoice-adjustments" },
        { label: "Total", values: { amount: invoice.total }, testId: "invoice-total" },
      ]}
    />
  );
}

function AdjustmentForm({ id }: { id: number }) {
  const action = useInvoiceAction(id);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        action.mutate({ action: "adjustments", body: { amount, reason } }, {
            onSuccess: () => {
              setAmount("");
              setReason("");
            },
          });
      }}
    >
      <label className="text-xs text-slate-600">
        Amount (negative = credit)
        <input aria-label="Adjustment amount" required inputMode="decimal" pattern="-?\d+(\.\d+)?" value={amount} onChange={(e) => setAmount(e.target.value)} className={`ml-1 w-28 ${field}`} />
      </label>
      <label className="flex-1 text-xs text-slate-600">
        Reason
        <input aria-label="Adjustment reason" required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} className={`ml-1 w-full max-w-md ${field}`} />
      </label>
      <button type="submit" disabled={action.isPending} className={`${button} border border-slate-300 bg-white hover:bg-slate-100`}>Add adjustment</button>
      {action.isError && <p role="alert" className="w-full text-sm text-rose-700">{action.error.message}</p>}
    </form>
  );
}

function ReviewActions({ invoice }: { invoice: InvoiceDetail }) {
  const action = useInvoiceAction(invoice.id);
  const [voidReason, setVoidReason] = useState("");
  return (
    <div className="flex flex-wrap items-end gap-2">
      {invoice.status === "draft" && (
        <button
          type="button"
          disabled={action.isPending}
          onClick={() => window.confirm(`Finalize this invoice for ${formatMoney(invoice.total, invoice.currency)}? It cannot be changed afterwards.`) && action.mutate({ action: "finalize" })}
          className={`${button} bg-indigo-600 text-white hover:bg-indigo-700`}
        >
          Finalize
        </button>
      )}
      <form className="flex items-end gap-2" onSubmit={(e) => {
          e.preventDefault();
          action.mutate({ action: "void", body: { reason: voidReason } });
        }}>
        <input aria-label="Void reason" placeholder="Reason for voiding" required minLength={3} value={voidReason} onChange={(e) => setVoidReason(e.target.value)} className={field} />
        <button type="submit" disabled={action.isPending} className={`${button} border border-rose-300 bg-white text-rose-700 hover:bg-rose-50`}>Void</button>
      </form>
      {action.isError && <p role="alert" className="w-full text-sm text-rose-700">{action.error.message}</p>}
    </div>
  );
}

export function InvoiceDetailView({ id, canWrite }: { id: number; canWrite: boolean }) {
  const query = useQuery({ queryKey: invoiceKeys.detail(id), queryFn: ({ signal }) => fetchInvoice(id, signal) });
  if (query.isPending) return <Loading what="invoice" />;
  if (query.isError) return <ErrorState error={query.error} />;
  const invoice = query.data;
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">
            {invoice.number ?? `Draft invoice #${invoice.id}`} <StatusBadge status={invoice.status} />
          </h1>
          <p className="text-sm text-slate-500">
            {invoice.customer ? <Link href={`/customers/${encodeURIComponent(invoice.customer.key)}`} className="hover:underline">{invoice.customer.name}</Link> : "—"} · {invoice.period} · {invoice.currency}
            {invoice.finalizedAt && ` · finalized ${invoice.finalizedAt.slice(0, 10)}`}
            {invoice.voidReason && ` · void: ${invoice.voidReason}`}
          </p>
        </div>
        <div className="flex gap-3 text-sm">
          <a href={`/api/v1/invoices/${invoice.id}/pdf`} className="text-indigo-700 hover:underline">Download PDF</a>
          <a href={`/api/v1/invoices/${invoice.id}/csv`} className="text-indigo-700 hover:underline">Download CSV</a>
          <a href={`/api/v1/invoices/${invoice.id}`} className="text-indigo-700 hover:underline">JSON</a>
        </div>
      </header>
      <Lines invoice={invoice} />
      {canWrite && invoice.status === "draft" && (
        <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-medium">Add an adjustment</h2>
          <AdjustmentForm id={invoice.id} />
        </section>
      )}
      {canWrite && invoice.status !== "void" && (
        <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-medium">Review</h2>
          <ReviewActions invoice={invoice} />
        </section>
      )}
    </div>
  );
}
