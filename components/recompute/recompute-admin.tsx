"use client";
// Recompute runs: preview a re-pricing (events changed, cost delta per department and customer), start it with a
// reason, and follow the runs with their applied delta.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch, ApiClientError } from "@/components/api-client";
import { toast } from "@/components/ui/toast";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState } from "@/components/ui/states";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { cardClass } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";

type Delta = { total: string; byDepartment: Record<string, string>; byCustomer: Record<string, string> };
type Preview = { scanned: number; changed: number; finalized: number; delta: Delta };
type Run = {
  id: number; kind: string; status: string; reason: string; actor: string; rangeFrom: string; rangeTo: string; predicate: Record<string, string[]>;
  batchesDone: number; eventsScanned: number; eventsChanged: number; eventsFinalized: number; delta: Partial<Delta>; error: string | null; createdAt: string;
};

const recomputeKeys = { runs: () => ["recompute", "runs"] as const };

function selection(form: FormData) {
  const list = (name: string) => String(form.get(name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const predicate = Object.fromEntries((["models", "agents", "departments", "sources"] as const).flatMap((k) => (list(k).length ? [[k, list(k)]] : [])));
  const day = (name: string) => (form.get(name) ? new Date(`${String(form.get(name))}T00:00:00Z`).toISOString() : "");
  return { kind: "reprice", from: day("from"), to: day("to"), predicate };
}

const entries = (map: Record<string, string> | undefined) => Object.entries(map ?? {}).map(([k, v]) => `${k} ${v}`).join(", ") || "—";

export function RecomputeAdmin() {
  const client = useQueryClient();
  const [preview, setPreview] = useState<{ body: ReturnType<typeof selection>; result: Preview } | null>(null);
  const runs = useQuery({
    queryKey: recomputeKeys.runs(),
    queryFn: ({ signal }) => apiFetch<{ items: Run[] }>("/api/v1/recompute/runs", { signal }).then((r) => r.items),
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === "pending" || r.status === "running") ? 2000 : false),
  });
  const previewMutation = useMutation({
    mutationFn: (body: ReturnType<typeof selection>) => apiFetch<Preview>("/api/v1/recompute/preview", { method: "POST", body: JSON.stringify(body) }).then((result) => ({ body, result })),
    onSuccess: setPreview,
    meta: { error: "Could not preview" },
  });
  const start = useMutation({
    mutationFn: (reason: string) => apiFetch<{ id: number } | { approval: { id: number } }>("/api/v1/recompute/runs", { method: "POST", body: JSON.stringify({ ...preview!.body, reason }) }),
    onSuccess: (started) => {
      // With four-eyes approval the run may wait for a second user (lib/approvals): say which happened.
      toast.success("approval" in started ? `Approval requested (#${started.approval.id}): the run starts when another finance or admin user approves it on Approvals` : "Recompute started");
      setPreview(null);
      void client.invalidateQueries({ queryKey: recomputeKeys.runs() });
    },
  });
  const error = previewMutation.error ?? start.error;
  const columns: Column<Run>[] = [
    { id: "id", header: "Run", type: "number", value: (r) => r.id, cell: (r) => `#${r.id}` },
    { id: "status", header: "Status", value: (r) => (r.error ? `${r.status}: ${r.error}` : r.status), csv: (r) => r.status },
    { id: "range", header: "Range", value: (r) => `${r.rangeFrom.slice(0, 10)} – ${r.rangeTo.slice(0, 10)}`, csv: (r) => `${r.rangeFrom}/${r.rangeTo}` },
    { id: "predicate", header: "Predicate", value: (r) => entries(Object.fromEntries(Object.entries(r.predicate).map(([k, v]) => [k, v.join("|")]))), csv: (r) => JSON.stringify(r.predicate) },
    { id: "why", header: "Why / who", value: (r) => `${r.reason} (${r.actor})` },
    { id: "changed", header: "Changed", type: "number", value: (r) => r.eventsChanged, cell: (r) => `${r.eventsChanged} of ${r.eventsScanned}` },
    { id: "finalized", header: "In finalized periods", type: "number", value: (r) => r.eventsFinalized },
    { id: "delta", header: "Cost delta", type: "number", digits: 6, value: (r) => r.delta.total ?? "0", cell: (r) => r.delta.total ?? "0" },
    { id: "byDepartment", header: "By department", value: (r) => entries(r.delta.byDepartment), csv: (r) => JSON.stringify(r.delta.byDepartment ?? {}) },
  ];
  return (
    <div className="space-y-4">
      <form
        aria-label="Re-price events"
        className={cn(cardClass, "flex flex-wrap items-end gap-2 p-3")}
        onSubmit={(e) => {
          e.preventDefault();
          previewMutation.mutate(selection(new FormData(e.currentTarget)));
        }}
      >
        {[
          { name: "from", label: "From (UTC day)", type: "date" },
          { name: "to", label: "Before (UTC day)", type: "date" },
          { name: "models", label: "Models", placeholder: "all, or a,b" },
          { name: "agents", label: "Agents", placeholder: "all" },
          { name: "departments", label: "Departments", placeholder: "all" },
          { name: "sources", label: "Sources", placeholder: "all" },
        ].map((f) => (
          <label key={f.name} className="text-xs text-muted-foreground">
            {f.label}
            <Input name={f.name} type={f.type ?? "text"} placeholder={f.placeholder} required={f.type === "date"} className="mt-1 block" />
          </label>
        ))}
        <Button size="sm" type="submit" disabled={previewMutation.isPending}>
          {previewMutation.isPending ? "Previewing…" : "Preview re-pricing"}
        </Button>
      </form>
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error.message}
          {error instanceof ApiClientError && error.details ? `: ${error.details.map((d) => `${d.path} ${d.message}`).join("; ")}` : ""}
        </p>
      )}
      {preview && (
        <form
          aria-label="Start re-pricing"
          className="space-y-2 rounded-card border border-warning-border bg-warning-soft p-3 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            start.mutate(String(new FormData(e.currentTarget).get("reason") ?? ""));
          }}
        >
          <p>
            {preview.result.changed} of {preview.result.scanned} events change; cost delta <strong>{preview.result.delta.total}</strong>
            {preview.result.finalized > 0 && ` (${preview.result.finalized} in finalized invoice periods: carried as adjustments on the next draft)`}.
          </p>
          <p>By department: {entries(preview.result.delta.byDepartment)}. By customer: {entries(preview.result.delta.byCustomer)}.</p>
          <label className="block text-xs text-muted-foreground">
            Reason (audited)
            <Input name="reason" required className="mt-1 block w-96" />
          </label>
          <Button size="sm" type="submit" disabled={start.isPending}>Start run</Button>
        </form>
      )}
      {runs.isError ? <ErrorState error={runs.error} /> : (
        <DataTable title="Runs" columns={columns} rows={runs.data ?? []} loading={runs.isPending} rowKey={(r) => String(r.id)} csvName="recompute-runs.csv" empty="No recompute runs yet." />
      )}
    </div>
  );
}
