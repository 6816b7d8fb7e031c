"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState, Loading } from "@/components/ui/states";
import { fxNote } from "@/lib/billing/fx-note";
import { minorDigits } from "@/lib/billing/money";
import { formatMoney, formatNumber } from "@/lib/format";
import { fetchInvoice, invoiceKeys, useInvoiceAction, type InvoiceDetail } from "./queries";
import { CreditNoteList, IssueCreditNote } from "./credit-notes";
import { StatusBadge } from "./status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/field";

type Line = InvoiceDetail["lines"][number];

const kindLabel: Record<string, string> = { usage: "Usage", guarantee_credit: "Guarantee credit", minimum: "Minimum", commitment: "Commitment", adjustment: "Adjustment", late_adjustment: "Late usage", tax: "Tax" };

function Lines({ invoice }: { invoice: InvoiceDetail }) {
  const digits = minorDigits(invoice.currency);
  const money = (a: string) => formatMoney(a, invoice.currency, digits, digits);
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
          {l.outcome ? (
            <div className="text-xs text-muted-foreground" data-testid="invoice-line-outcome">
              Outcomes delivered: {formatNumber(l.quantity, 6)} {l.meter?.unit ?? ""} — {l.outcome.taskType ?? "any task type"}, handled by {l.outcome.handledBy ?? "agent or human"}
              {l.outcome.taskStatuses.length > 0 && `, status ${l.outcome.taskStatuses.join(" or ")}`}. Escalation rate{" "}
              {l.outcome.escalationRate === null ? "— (no agent task)" : `${formatNumber(Number(l.outcome.escalationRate) * 100, 1)} % (${formatNumber(l.outcome.escalated)} of ${formatNumber(l.outcome.agentTasks)} agent tasks)`}
              {l.usageRef?.limit ? `. Monthly ${l.usageRef.limit === "floor" ? "minimum" : "cap"} applied (at the unit price: ${money(String(l.usageRef.modelAmount))})` : null}
            </div>
          ) : l.usageRef && "meter" in l.usageRef && (
            <div className="text-xs text-muted-foreground">
              Usage: {String(l.usageRef.eventType ?? "all")} events, {String(l.usageRef.from).slice(0, 10)} to {String(l.usageRef.to).slice(0, 10)}, plan {String(l.usageRef.plan)}
            </div>
          )}
        </>
      ),
    },
    { id: "quantity", header: "Quantity", type: "number", digits: 6, value: (l) => (metered(l) ? l.quantity : null), cell: (l) => (metered(l) ? `${formatNumber(l.quantity, 6)} ${l.meter?.unit ?? ""}` : "") },
    { id: "unit", header: "Unit", value: (l) => (metered(l) ? (l.meter?.unit ?? null) : null), hidden: true },
    { id: "unitPrice", header: "Unit price", type: "money", currency: invoice.currency, digits: 8, value: (l) => l.unitPrice, cell: (l) => (l.kind === "tax" ? `${formatNumber(l.unitPrice ?? "0", 4)}% of ${money(l.quantity)}` : l.unitPrice ? formatMoney(l.unitPrice, invoice.currency, 8) : "") },
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
        { label: "Tax", values: { amount: invoice.taxTotal }, testId: "invoice-tax" },
        { label: "Total due", values: { amount: invoice.total }, testId: "invoice-total" },
        ...(invoice.status === "finalized"
          ? [
              { label: "Credited", values: { amount: invoice.credited }, testId: "invoice-credited" },
              { label: "Balance due", values: { amount: invoice.balanceDue }, testId: "invoice-balance-due" },
            ]
          : []),
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
      <label className="text-xs text-muted-foreground">
        Amount (negative = credit)
        <Input aria-label="Adjustment amount" required inputMode="decimal" pattern="-?\d+(\.\d+)?" value={amount} onChange={(e) => setAmount(e.target.value)} className="ml-1 w-28" />
      </label>
      <label className="flex-1 text-xs text-muted-foreground">
        Reason
        <Input aria-label="Adjustment reason" required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} className="ml-1 w-full max-w-md" />
      </label>
      <Button variant="secondary" type="submit" disabled={action.isPending}>Add adjustment</Button>
      {action.isError && <p role="alert" className="w-full text-sm text-danger">{action.error.message}</p>}
    </form>
  );
}

function ReviewActions({ invoice }: { invoice: InvoiceDetail }) {
  const action = useInvoiceAction(invoice.id);
  const [voidReason, setVoidReason] = useState("");
  const confirm = useConfirm();
  return (
    <div className="flex flex-wrap items-end gap-2">
      {invoice.awaitingApproval !== null && (
        <p className="w-full text-sm" data-testid="awaiting-approval">
          Awaiting four-eyes approval: a different finance or admin user approves it on <Link href="/approvals" className="text-accent-foreground hover:underline">Approvals</Link>.
        </p>
      )}
      {invoice.status === "finalized" && (
        <Button disabled={action.isPending} onClick={() => action.mutate({ action: "send" })}>
          {invoice.sent ? "Send again" : "Send to customer"}
        </Button>
      )}
      {invoice.status === "finalized" && invoice.sent && <span className="text-sm text-muted-foreground">Last sent {invoice.sent.at.slice(0, 10)} to {invoice.sent.to}</span>}
      {invoice.status === "draft" && invoice.awaitingApproval === null && (
        <Button
          disabled={action.isPending}
          onClick={async () => {
            const ok = await confirm({
              title: `Finalize this invoice for ${formatMoney(invoice.total, invoice.currency)}?`,
              description: "It gets a number and cannot be changed afterwards.",
              confirmLabel: "Finalize invoice",
              tone: "primary",
            });
            if (ok) action.mutate({ action: "finalize" });
          }}
        >
          Finalize
        </Button>
      )}
      <form className="flex items-end gap-2" onSubmit={(e) => {
          e.preventDefault();
          action.mutate({ action: "void", body: { reason: voidReason } });
        }}>
        <Input aria-label="Void reason" placeholder="Reason for voiding" required minLength={3} value={voidReason} onChange={(e) => setVoidReason(e.target.value)} />
        <Button variant="danger" type="submit" disabled={action.isPending}>Void</Button>
      </form>
      {action.isError && <p role="alert" className="w-full text-sm text-danger">{action.error.message}</p>}
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
      <PageHeader title={<>{invoice.number ?? `Draft invoice #${invoice.id}`} <StatusBadge status={invoice.status} />{invoice.awaitingApproval !== null && <> <Badge tone="info">awaiting approval</Badge></>}</>} description={<>{invoice.customer ? <Link href={`/customers/${encodeURIComponent(invoice.customer.key)}`} className="hover:underline">{invoice.customer.name}</Link> : "—"} · {invoice.period} · {invoice.currency} {invoice.finalizedAt && ` · finalized ${invoice.finalizedAt.slice(0, 10)}`} {invoice.voidReason && ` · void: ${invoice.voidReason}`}</>} actions={<><div className="flex gap-3 text-sm">
          <a href={`/api/v1/invoices/${invoice.id}/pdf`} className="text-accent-foreground hover:underline">Download PDF</a>
          <a href={`/api/v1/invoices/${invoice.id}/csv`} className="text-accent-foreground hover:underline">Download CSV</a>
          <a href={`/api/v1/invoices/${invoice.id}`} className="text-accent-foreground hover:underline">JSON</a>
        </div></>} />
      <Lines invoice={invoice} />
      {invoice.fx && (
        <Card className="space-y-1" data-testid="invoice-fx">
          <h2 className="font-medium">Exchange rates</h2>
          <p className="whitespace-pre-line text-sm text-muted-foreground">{fxNote(invoice.fx)}</p>
        </Card>
      )}
      {canWrite && invoice.status === "draft" && (
        <Card className="space-y-2">
          <h2 className="font-medium">Add an adjustment</h2>
          <AdjustmentForm id={invoice.id} />
        </Card>
      )}
      {invoice.status === "finalized" && <CreditNoteList invoice={invoice} />}
      {canWrite && invoice.status === "finalized" && Number(invoice.balanceDue) > 0 && <IssueCreditNote invoice={invoice} />}
      {/* Once credited, corrections are credit notes: void is refused (lib/billing/lifecycle.ts). */}
      {canWrite && invoice.status !== "void" && invoice.creditNotes.length === 0 && (
        <Card className="space-y-2">
          <h2 className="font-medium">Review</h2>
          <ReviewActions invoice={invoice} />
        </Card>
      )}
    </div>
  );
}
