import { apiFetch } from "@/components/api-client";
import type { WorkloadResponse } from "@/lib/analytics/schemas";

export type { WorkloadResponse };

export const workloadKeys = {
  all: ["workload"] as const,
  list: (params: Record<string, string>) => [...workloadKeys.all, params] as const,
};

export function fetchWorkload(params: Record<string, string>, signal?: AbortSignal) {
  return apiFetch<WorkloadResponse>(`/api/v1/workload?${new URLSearchParams(params)}`, { signal });
}
