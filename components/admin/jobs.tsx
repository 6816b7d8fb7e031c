"use client";
// Background jobs: counts per state, a state filter, newest first; failed jobs show their error and a Retry button.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState } from "@/components/ui/states";
import type { JobView } from "@/lib/jobs/admin";
import { adminKeys } from "./queries";

type Job = JobView;
type Page = { items: Job[]; counts: Record<string, number> };

const STATES = [
  { value: "", label: "All" },
  { value: "created", label: "Queued" },
  { value: "retry", label: "Waiting to retry" },
  { value: "active", label: "Running" },
  { value: "failed", label: "Failed" },
  { value: "completed", label: "Completed" },
] as const;

const label = (state: string) => STATES.find((s) => s.value === state)?.label ?? state;

export function JobsViewer() {
  const [state, setState] = useState("");
  const client = useQueryClient();
  const query = useQuery({
    queryKey: adminKeys.jobs(state),
    queryFn: ({ signal }) => apiFetch<Page>(`/api/v1/jobs${state ? `?state=${state}` : ""}`, { signal }),
    refetchInterval: 5_000,
  });
  const retry = useMutation({
    mutationFn: (id: string) => apiFetch<Job>(`/api/v1/jobs/${id}/retry`, { method: "POST" }),
    meta: { success: "Job queued again" },
    onSuccess: () => client.invalidateQueries({ queryKey: [...adminKeys.all, "jobs"] }),
  });

  const columns: Column<Job>[] = [
    { id: "name", header: "Job", value: (j) => j.name, cell: (j) => <code>{j.name}</code> },
    { id: "state", header: "State", value: (j) => label(j.state) },
    { id: "attempts", header: "Attempts", type: "number", value: (j) => j.attempts, cell: (j) => `${j.attempts} of ${j.retryLimit + 1}` },
    { id: "queued", header: "Queued", type: "datetime", value: (j) => j.createdAt },
    { id: "started", header: "Started", type: "datetime", value: (j) => j.startedAt },
    { id: "finished", header: "Finished", type: "datetime", value: (j) => j.completedAt },
    { id: "error", header: "Last error", value: (j) => j.lastError, cell: (j) => <span className="max-w-md break-words text-danger">{j.lastError ?? ""}</span> },
    {
      id: "actions",
      header: "Actions",
      csv: false,
      cell: (j) =>
        j.state === "failed" && (
          <Button variant="secondary" size="sm" onClick={() => retry.mutate(j.id)} disabled={retry.isPending} aria-label={`Retry ${j.name} job ${j.id}`}>
            Retry
          </Button>
        ),
    },
  ];

  return (
    <div className="space-y-4">
      <div role="group" aria-label="Job state" className="flex flex-wrap gap-2">
        {STATES.map((s) => (
          <Button key={s.value} variant={state === s.value ? "primary" : "secondary"} aria-pressed={state === s.value} onClick={() => setState(s.value)}>
            {s.label}
            {s.value && query.data ? ` (${query.data.counts[s.value] ?? 0})` : ""}
          </Button>
        ))}
      </div>
      {retry.isError && <ErrorState error={retry.error} />}
      {query.isError ? (
        <ErrorState error={query.error} />
      ) : (
        <DataTable
          title="Jobs"
          heading={false}
          columns={columns}
          rows={query.data?.items ?? []}
          rowKey={(j) => j.id}
          loading={query.isPending}
          empty="No jobs in this state."
          pageSize={50}
          csvName="jobs.csv"
        />
      )}
    </div>
  );
}
