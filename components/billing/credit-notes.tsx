"use client";
// An invoice's credit notes (with their PDFs) and the form that issues one against a finalized invoice.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Field, Input, Select } from "@/components/ui/field";
import type { CreditNoteRequest } from "@/lib/billing/credit-note-plan";
import type { CreditNoteSummary } from "@/lib/billing/credit-note-schemas";
import { formatMoney } from "@/lib/format";
import { useIssueCreditNote, type InvoiceDetail } from "./queries";

export function CreditNoteList({ invoice }: { invoice: InvoiceDetail }) {
  const columns: Column<CreditNoteSummary>[] = [
    { id: "number", header: "Number", value: (n) => n.number, cell: (n) => <a href={`/api/v1/credit-notes/${n.id}/pdf`} className="text-accent-foreground hover:underline">{n.number}</a> },
    { id: "issuedAt", header: "Issued", type: "date", value: (n) => n.issuedAt },
    { id: "reason", header: "Reason", value: (n) => n.reason },
    { id: "total", header: "Credited", type: "money", currency: invoice.currency, value: (n) => n.total },
  ];
  return <DataTable title="Credit notes" columns={columns} rows={invoice.creditNotes} rowKey={(n) => String(n.id)} empty="No credit notes." />;
}

type Kind = CreditNoteRequest["kind"];

export function IssueCreditNote({ invoice }: { invoice: InvoiceDetail }) {
  const issue = useIssueCreditNote(invoice.id);
  const confirm = useConfirm();
  const [kind, setKind] = useState<Kind>("amount");
  const [reason, setReason] = useState("");
  const [amount, setAmount] = useState("");
  const [lineId, setLineId] = useState("");
  const [by, setBy] = useState<"quantity" | "amount">("amount");
  const creditable = invoice.lines.filter((l) => Number(l.amount) > 0);

  function request(): CreditNoteRequest {
    if (kind === "full") return { kind, reason };
    if (kind === "amount") return { kind, reason, amount };
    const line = by === "quantity" ? { lineId: Number(lineId), quantity: amount } : { lineId: Number(lineId), amount };
    return { kind, reason, lines: [line] };
  }

  const what = kind === "full" ? `the balance of ${formatMoney(invoice.balanceDue, invoice.currency)}` : by === "quantity" && kind === "lines" ? `${amount} units of the line` : formatMoney(amount || "0", invoice.currency);
  return (
    <Card className="space-y-3" aria-label="Issue a credit note">
      <h2 className="font-medium">Issue a credit note</h2>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={async (e) => {
          e.preventDefault();
          const ok = await confirm({
            title: `Credit ${what} on ${invoice.number}?`,
            description: "The credit note gets the next number in its series and cannot be changed or deleted afterwards.",
            confirmLabel: "Issue credit note",
            tone: "primary",
          });
          if (!ok) return;
          issue.mutate(request(), {
            onSuccess: () => {
              setReason("");
              setAmount("");
            },
          });
        }}
      >
        <Field label="Credit">
          <Select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="amount">An amount</option>
            <option value="lines">Part of a line</option>
            <option value="full">Everything still due</option>
          </Select>
        </Field>
        {kind === "lines" && (
          <>
            <Field label="Line">
              <Select required value={lineId} onChange={(e) => setLineId(e.target.value)}>
                <option value="">Choose a line</option>
                {creditable.map((l) => (
                  <option key={l.id} value={l.id}>{`${l.description} (${formatMoney(l.amount, invoice.currency)})`}</option>
                ))}
              </Select>
            </Field>
            <Field label="By">
              <Select value={by} onChange={(e) => setBy(e.target.value as "quantity" | "amount")}>
                <option value="amount">Amount</option>
                <option value="quantity">Quantity</option>
              </Select>
            </Field>
          </>
        )}
        {kind !== "full" && (
          <Field label={kind === "lines" && by === "quantity" ? "Quantity" : `Amount (${invoice.currency})`}>
            <Input required inputMode="decimal" pattern="\d+(\.\d+)?" value={amount} onChange={(e) => setAmount(e.target.value)} className="w-32" />
          </Field>
        )}
        <Field label="Reason" className="min-w-64 flex-1">
          <Input required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <Button type="submit" disabled={issue.isPending}>Issue credit note</Button>
        {issue.isError && <p role="alert" className="w-full text-sm text-danger">{issue.error.message}</p>}
      </form>
    </Card>
  );
}
