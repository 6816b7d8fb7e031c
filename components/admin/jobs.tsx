"use client";
// Background jobs: counts per state, a state filter, newest first; failed jobs show their error and a Retry button.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Empty, ErrorState, Loading } from "@/components/ui/states";
import type { JobView } from "@/lib/jobs/admin";
import { when } from "./format";
import { adminKeys } from "./queries";
import { Button } from "@/components/ui/button";

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
      {query.isPending ? (
        <Loading what="jobs" />
      ) : query.isError ? (
        <ErrorState error={query.error} />
      ) : query.data.items.length === 0 ? (
        <Empty message="No jobs in this state." />
      ) : (
        <div tabIndex={0} className="overflow-x-auto rounded-card border border-border bg-surface focus-visible:outline-2 focus-visible:outline-ring">
          <table className="w-full text-sm" aria-label="Jobs">
            <thead>
              <tr className="text-left text-slate-500">
                {["Job", "State", "Attempts", "Queued", "Started", "Finished", "Last error", ""].map((h, i) => (
                  <th key={i} className="px-3 py-2 font-normal">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {query.data.items.map((j) => (
                <tr key={j.id} className="border-t border-slate-100 align-top">
                  <td className="px-3 py-1.5"><code>{j.name}</code></td>
                  <td className="whitespace-nowrap px-3 py-1.5">{label(j.state)}</td>
                  <td className="px-3 py-1.5">{j.attempts} of {j.retryLimit + 1}</td>
                  <td className="whitespace-nowrap px-3 py-1.5">{when(j.createdAt)}</td>
                  <td className="whitespace-nowrap px-3 py-1.5">{when(j.startedAt)}</td>
                  <td className="whitespace-nowrap px-3 py-1.5">{when(j.completedAt)}</td>
                  <td className="max-w-md break-words px-3 py-1.5 text-red-700">{j.lastError ?? ""}</td>
                  <td className="px-3 py-1.5">
                    {j.state === "failed" && (
                      <Button variant="secondary" size="sm"
                        onClick={() => retry.mutate(j.id)}
                        disabled={retry.isPending}
                        aria-label={`Retry ${j.name} job ${j.id}`}
                      >
                        Retry
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
