"use client";
// Pending four-eyes requests with approve/reject (not for their requester), the recent decisions, and the setting.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { ErrorState } from "@/components/ui/states";
import { minorDigits } from "@/lib/billing/money";
import { formatMoney } from "@/lib/format";
import { approvalKeys, fetchApprovals, fetchFourEyes, useDecide, useSaveFourEyes, type ApprovalDto, type FourEyesSettings } from "./queries";

const kindLabel: Record<ApprovalDto["kind"], string> = { invoice_finalize: "Finalize invoice", recompute: "Re-costing run", credit_note: "Credit note" };
const tones = { pending: "warning", approved: "success", rejected: "neutral", failed: "danger" } as const;

function subject(a: ApprovalDto) {
  if (a.kind === "invoice_finalize") return <Link href={`/invoices/${a.subjectId}`} className="text-accent-foreground hover:underline">Invoice #{a.subjectId}</Link>;
  if (a.kind === "recompute") {
    const p = a.payload as { kind?: string; from?: string; to?: string; reason?: string };
    return <>{p.kind} {p.from?.slice(0, 10)} → {p.to?.slice(0, 10)}: {p.reason}{a.subjectId !== null && <> (run #{a.subjectId})</>}</>;
  }
  return <>#{a.subjectId}</>;
}

function RejectButton({ approval }: { approval: ApprovalDto }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const decide = useDecide();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button size="sm" variant="danger" onClick={() => setOpen(true)}>Reject</Button>
      <DialogContent title={`Reject request #${approval.id}?`}>
        <form className="space-y-3" onSubmit={(e) => { e.preventDefault(); decide.mutate({ id: approval.id, decision: "reject", reason }, { onSuccess: () => setOpen(false) }); }}>
          <Field label="Reason"><Input required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} /></Field>
          <Button variant="danger" type="submit" disabled={decide.isPending}>Reject</Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function Settings({ settings, isAdmin }: { settings: FourEyesSettings; isAdmin: boolean }) {
  const [enabled, setEnabled] = useState(settings.enabled);
  const [threshold, setThreshold] = useState(settings.threshold ?? "");
  const save = useSaveFourEyes();
  return (
    <Card aria-label="Four-eyes settings" className="space-y-2">
      <CardTitle>Four-eyes approval</CardTitle>
      <form className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); save.mutate({ enabled, threshold: threshold.trim() || null }); }}>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={enabled} disabled={!isAdmin} onChange={(e) => setEnabled(e.target.checked)} /> Required at or above
        </label>
        <Field label={`Threshold (${settings.currency})`}>
          <Input inputMode="decimal" value={threshold} disabled={!isAdmin} onChange={(e) => setThreshold(e.target.value)} className="w-36" />
        </Field>
        {isAdmin && <Button type="submit" disabled={save.isPending}>Save</Button>}
      </form>
      {save.isError && <ErrorState error={save.error} />}
    </Card>
  );
}

export function ApprovalsView({ userId, isAdmin }: { userId: number; isAdmin: boolean }) {
  const pending = useQuery({ queryKey: approvalKeys.list("pending"), queryFn: ({ signal }) => fetchApprovals("pending", signal) });
  const all = useQuery({ queryKey: approvalKeys.list(""), queryFn: ({ signal }) => fetchApprovals("", signal) });
  const settings = useQuery({ queryKey: approvalKeys.settings(), queryFn: ({ signal }) => fetchFourEyes(signal) });
  const decide = useDecide();
  const base: Column<ApprovalDto>[] = [
    { id: "id", header: "#", type: "number", value: (a) => a.id },
    { id: "kind", header: "Action", value: (a) => kindLabel[a.kind] },
    { id: "subject", header: "Subject", cell: subject },
    { id: "amount", header: "Amount", type: "money", value: (a) => a.amount, cell: (a) => formatMoney(a.amount, a.currency, minorDigits(a.currency), minorDigits(a.currency)) },
    { id: "requestedBy", header: "Requested by", value: (a) => a.requestedBy.name },
    { id: "requestedAt", header: "Requested", type: "datetime", value: (a) => a.requestedAt },
  ];
  const pendingColumns: Column<ApprovalDto>[] = [
    ...base,
    {
      id: "decide",
      header: "Decision",
      cell: (a) =>
        a.requestedBy.id === userId ? (
          <span className="text-xs text-muted-foreground">Your request: another user decides</span>
        ) : (
          <span className="inline-flex gap-2">
            <Button size="sm" disabled={decide.isPending} onClick={() => decide.mutate({ id: a.id, decision: "approve" })}>Approve</Button>
            <RejectButton approval={a} />
          </span>
        ),
    },
  ];
  const historyColumns: Column<ApprovalDto>[] = [
    ...base,
    { id: "status", header: "Status", value: (a) => a.status, cell: (a) => <Badge tone={tones[a.status]}>{a.status}</Badge> },
    { id: "decidedBy", header: "Decided by", value: (a) => a.decidedBy?.name ?? null },
    { id: "note", header: "Reason / error", value: (a) => a.reason ?? a.error },
  ];
  return (
    <div className="space-y-6">
      {settings.data && <Settings key={`${settings.data.enabled}-${settings.data.threshold}`} settings={settings.data} isAdmin={isAdmin} />}
      {pending.isError ? <ErrorState error={pending.error} /> : (
        <DataTable title="Pending approvals" columns={pendingColumns} rows={pending.data?.approvals ?? []} rowKey={(a) => String(a.id)} rowTestId={(a) => `approval-${a.id}`} loading={pending.isPending} empty="Nothing awaits approval." />
      )}
      {all.isError ? <ErrorState error={all.error} /> : (
        <DataTable title="Recent requests" columns={historyColumns} rows={(all.data?.approvals ?? []).filter((a) => a.status !== "pending")} rowKey={(a) => String(a.id)} loading={all.isPending} empty="No decisions yet." csvName="approvals.csv" />
      )}
    </div>
  );
}
