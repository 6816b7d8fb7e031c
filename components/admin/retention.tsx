"use client";
// Raw event retention on the Settings page: the setting (months, drop or archive), the dry run of the next run,
// "Run now", past runs, and the boundary: what reaches only retained raw events.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiFetch } from "@/components/api-client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState } from "@/components/ui/states";
import { settingsUpdate } from "@/lib/admin/schemas";
import { formatCompact } from "@/lib/format";
import type { retentionView } from "@/lib/retention/schemas";
import { EntityForm } from "./entity-form";
import { adminKeys } from "./queries";

type View = z.output<typeof retentionView>;
type Planned = View["dryRun"]["months"][number];
type Run = View["runs"][number];

const key = [...adminKeys.all, "retention"] as const;
const bytes = (n: number) => `${formatCompact(n)}B`;
const RUN_TONE = { running: "info", done: "success", failed: "danger", restored: "neutral" } as const;

export function RetentionAdmin({ initial }: { initial: View }) {
  const client = useQueryClient();
  const confirm = useConfirm();
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => apiFetch<View>("/api/v1/retention", { signal }), initialData: initial, refetchInterval: 10_000 });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiFetch("/api/v1/settings", { method: "PATCH", body: JSON.stringify(body) }),
    meta: { success: "Retention setting saved" },
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  const run = useMutation({
    mutationFn: () => apiFetch("/api/v1/retention/runs", { method: "POST" }),
    meta: { success: "Retention run queued" },
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  const view = query.data;
  const due = view.dryRun.months.filter((m) => m.status === "due");

  const planColumns: Column<Planned>[] = [
    { id: "month", header: "Month (UTC)", value: (m) => m.month },
    { id: "rows", header: "Events", type: "number", value: (m) => m.rows, cell: (m) => `${m.rowsExact ? "" : "≈ "}${m.rows.toLocaleString("en-US")}` },
    { id: "bytes", header: "Disk", type: "number", value: (m) => m.bytes, cell: (m) => bytes(m.bytes) },
    {
      id: "status",
      header: "Next run",
      value: (m) => m.status,
      cell: (m) =>
        m.status === "due" ? <Badge tone="warning">{view.mode === "archive" ? "archived, then dropped" : "dropped"}</Badge> : <Badge>held by draft invoice {m.heldBy.map((id) => `#${id}`).join(", ")}</Badge>,
    },
  ];
  const runColumns: Column<Run>[] = [
    { id: "month", header: "Month (UTC)", value: (r) => r.month },
    { id: "mode", header: "Mode", value: (r) => r.mode },
    { id: "status", header: "Status", value: (r) => r.status, cell: (r) => <Badge tone={RUN_TONE[r.status]}>{r.status}</Badge> },
    { id: "rows", header: "Events", type: "number", value: (r) => r.rows },
    { id: "bytes", header: "Archive", type: "number", value: (r) => r.bytes, cell: (r) => (r.file ? bytes(r.bytes) : "") },
    { id: "file", header: "File", value: (r) => r.file, cell: (r) => (r.file ? <code className="break-all text-xs">{r.file}</code> : "") },
    { id: "started", header: "Started", type: "datetime", value: (r) => r.startedAt },
    { id: "finished", header: "Finished", type: "datetime", value: (r) => r.finishedAt },
    { id: "error", header: "Error", value: (r) => r.error, cell: (r) => <span className="text-danger">{r.error ?? ""}</span> },
  ];

  return (
    <Card className="space-y-4" aria-labelledby="retention-title">
      <div>
        <CardTitle id="retention-title">Raw event retention</CardTitle>
        <CardDescription>
          Whole months of raw events older than the setting are archived (gzip&apos;d CSV an operator can restore) or dropped, daily at 03:45 UTC.
          Dashboards, rollups, invoices and duplicate detection keep every month. Re-costing, currency re-conversion, corrections and the
          drill-down to events reach only retained events.
        </CardDescription>
      </div>
      <p role="status" data-testid="retention-boundary" className="text-sm">
        {view.rawEventsFrom
          ? `Raw events before ${view.rawEventsFrom.slice(0, 10)} (UTC) were removed: recompute, corrections and the events drill-down reach only later events.`
          : "No raw events have been removed."}
      </p>
      <EntityForm
        title="Raw event retention setting"
        schema={settingsUpdate}
        initial={{ rawEventRetentionMonths: view.months, rawEventRetentionMode: view.mode }}
        fields={[
          { name: "rawEventRetentionMonths", label: "Keep raw events for (months)", type: "number", nullable: true, hint: "At least 3; empty keeps them forever. Months a draft invoice covers are kept until it is finalized." },
          { name: "rawEventRetentionMode", label: "Older months are", type: "select", options: [{ value: "archive", label: "archived, then dropped" }, { value: "drop", label: "dropped" }] },
        ]}
        submitLabel="Save retention"
        clearAfterSubmit={false}
        onSubmit={(body) => save.mutateAsync(body)}
      />
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-sm">
          {view.months === null
            ? "Dry run: retention is off, nothing would be removed."
            : `Dry run: months ending before ${view.dryRun.cutoff?.slice(0, 10)} — ${due.length} would be ${view.mode === "archive" ? "archived and dropped" : "dropped"} (${due.reduce((n, m) => n + m.rows, 0).toLocaleString("en-US")} events, ${bytes(due.reduce((n, m) => n + m.bytes, 0))} of disk).`}
        </p>
        <Button
          variant="secondary"
          disabled={run.isPending || due.length === 0}
          onClick={async () => {
            const ok = await confirm({
              title: `Remove ${due.length} month(s) of raw events now?`,
              description: view.mode === "archive" ? "Each month is written to a verified archive, then its raw events are dropped." : "The raw events are dropped without an archive: this cannot be undone.",
              confirmLabel: view.mode === "archive" ? "Archive and drop" : "Drop",
              tone: "danger",
            });
            if (ok) run.mutate();
          }}
        >
          Run now
        </Button>
      </div>
      {run.isError && <ErrorState error={run.error} />}
      <DataTable title="Dry run" columns={planColumns} rows={view.dryRun.months} rowKey={(m) => m.month} empty="Nothing would be removed." csvName="retention-dry-run.csv" />
      <DataTable title="Retention runs" columns={runColumns} rows={view.runs} rowKey={(r) => String(r.id)} empty="No retention runs yet." pageSize={20} csvName="retention-runs.csv" />
    </Card>
  );
}
