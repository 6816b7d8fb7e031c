"use client";
// Bulk finalize behind a confirmation summary (the API's dry run: count, totals per currency, what cannot be
// finalized and why, what needs four-eyes approval), then the result report; and the report of a bulk send.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/states";
import { minorDigits } from "@/lib/billing/money";
import { formatMoney } from "@/lib/format";
import { useBulkFinalize, type BulkFinalizeResult, type BulkSendResult } from "./queries";

type Selection = { ids: number[] } | { period: string; filters: Record<string, string> };

const money = (amount: string, currency: string) => formatMoney(amount, currency, minorDigits(currency), minorDigits(currency));

function Totals({ totals }: { totals: BulkFinalizeResult["totals"] }) {
  return <>{totals.length === 0 ? "nothing" : totals.map((t) => `${money(t.total, t.currency)} (${t.count})`).join(" · ")}</>;
}

function Listing({ title, items, testId }: { title: string; items: { key: string; text: string }[]; testId: string }) {
  if (items.length === 0) return null;
  return (
    <div data-testid={testId}>
      <h3 className="text-sm font-medium">{title}</h3>
      <ul className="list-disc pl-5 text-sm">
        {items.map((i) => (
          <li key={i.key}>{i.text}</li>
        ))}
      </ul>
    </div>
  );
}

const label = (r: { id: number; customer: string | null; total: string; currency: string }) => `#${r.id} ${r.customer ?? "—"}, ${money(r.total, r.currency)}`;

export function BulkFinalizeDialog({ label: buttonLabel, selection, disabled, onDone }: { label: string; selection: Selection; disabled: boolean; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const summary = useBulkFinalize();
  const run = useBulkFinalize();
  const start = () => {
    summary.reset();
    run.reset();
    setOpen(true);
    summary.mutate({ ...selection, dryRun: true });
  };
  const s = summary.data;
  const r = run.data;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button size="sm" disabled={disabled} onClick={start}>
        {buttonLabel}
      </Button>
      <DialogContent title={r ? "Bulk finalize: result" : "Finalize these invoices?"} description={r ? undefined : "Each gets the next invoice number, in this order, and cannot be changed afterwards."}>
        {summary.isPending && <p className="text-sm text-muted-foreground">Checking the invoices…</p>}
        {summary.isError && <ErrorState error={summary.error} />}
        {s && !r && (
          <div className="space-y-3" data-testid="bulk-finalize-summary">
            <p className="text-sm">
              <strong>{s.ready.length}</strong> of {s.count} can be finalized: <Totals totals={s.totals} />
            </p>
            <Listing title="Need a second user's approval (four-eyes)" testId="bulk-needs-approval" items={s.needsApproval.map((n) => ({ key: String(n.id), text: label(n) }))} />
            <Listing title="Cannot be finalized" testId="bulk-blocked" items={s.failed.map((f) => ({ key: String(f.id), text: `${label(f)}: ${f.reason}` }))} />
            <div className="flex gap-2">
              <Button disabled={run.isPending || s.ready.length + s.needsApproval.length === 0} onClick={() => run.mutate({ ...selection, dryRun: false }, { onSuccess: onDone })}>
                {run.isPending ? "Finalizing…" : `Finalize ${s.ready.length} invoice${s.ready.length === 1 ? "" : "s"}`}
              </Button>
              <Button variant="secondary" onClick={() => setOpen(false)}>Cancel</Button>
            </div>
            {run.isError && <ErrorState error={run.error} />}
          </div>
        )}
        {r && (
          <div className="space-y-3" data-testid="bulk-finalize-result">
            <p className="text-sm">
              Finalized <strong>{r.finalized.length}</strong>, failed <strong>{r.failed.length}</strong>
              {r.needsApproval.length > 0 && <>, awaiting approval <strong>{r.needsApproval.length}</strong></>}.
            </p>
            <Listing title="Finalized" testId="bulk-finalized" items={r.finalized.map((f) => ({ key: String(f.id), text: `${f.number} (#${f.id})` }))} />
            <Listing title="Awaiting approval" testId="bulk-awaiting" items={r.needsApproval.map((n) => ({ key: String(n.id), text: label(n) }))} />
            <Listing title="Failed" testId="bulk-failed" items={r.failed.map((f) => ({ key: String(f.id), text: `${label(f)}: ${f.reason}` }))} />
            <Button variant="secondary" onClick={() => setOpen(false)}>Close</Button>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}

export function SendResults({ result }: { result: BulkSendResult }) {
  const sent = result.results.filter((r) => r.status === "sent");
  const problems = result.results.filter((r) => r.status !== "sent");
  return (
    <Card aria-label="Send report" data-testid="send-report" className="space-y-1 text-sm">
      <p>
        Sent <strong>{sent.length}</strong>
        {problems.length > 0 && <>, not sent <strong>{problems.length}</strong></>}.
      </p>
      {problems.length > 0 && (
        <ul className="list-disc pl-5 text-danger">
          {problems.map((p) => (
            <li key={p.invoiceId}>#{p.invoiceId}: {p.error}</li>
          ))}
        </ul>
      )}
    </Card>
  );
}
