// Getting started client slice: the polled latest event, the department CSV upload and the first API key.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { allocationKeys } from "@/components/allocation/queries";
import type { DepartmentResponse } from "@/lib/allocation/schemas";
import type { LatestEventResponse } from "@/lib/onboarding/schemas";

export const onboardingKeys = {
  all: ["onboarding"] as const,
  latest: () => [...onboardingKeys.all, "latest"] as const,
};

/** Polls while the page is open; stops once a new event has arrived. */
export function useLatestEvent(initial: LatestEventResponse, stopAfterId: (latestId: string | null) => boolean) {
  return useQuery({
    queryKey: onboardingKeys.latest(),
    queryFn: ({ signal }) => apiFetch<LatestEventResponse>("/api/v1/events/latest", { signal }),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (query) => (stopAfterId(query.state.data?.latest?.id ?? null) ? false : 2_000),
  });
}

export function useImportDepartments() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (csv: string) =>
      apiFetch<{ created: DepartmentResponse[] }>("/api/v1/departments/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv }).then((r) => r.created),
    meta: { success: "Departments imported" },
    onSuccess: () => client.invalidateQueries({ queryKey: allocationKeys.departments }),
  });
}

/** The first key of a new organization: it must register the agents (and customers) its events name. */
export function useCreateIngestKey() {
  return useMutation({
    mutationFn: (name: string) =>
      apiFetch<{ key: { name: string; prefix: string }; secret: string }>("/api/v1/api-keys", { method: "POST", body: JSON.stringify({ name, scopes: ["ingest"], mayCreateEntities: true }) }),
    meta: { success: "API key created" },
  });
}
