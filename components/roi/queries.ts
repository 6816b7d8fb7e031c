import { apiFetch } from "@/components/api-client";
import type { RoiResponse } from "@/lib/analytics/schemas";

export type { RoiResponse };
export type Assumption = RoiResponse["assumptions"][number];

export const roiKeys = {
  all: ["roi"] as const,
  list: (params: Record<string, string>) => [...roiKeys.all, params] as const,
};

export function fetchRoi(params: Record<string, string>, signal?: AbortSignal) {
  return apiFetch<RoiResponse>(`/api/v1/roi?${new URLSearchParams(params)}`, { signal });
}

export function patchAssumption(taskType: string, patch: { baselineMinutes?: string; loadedHourlyCost?: string }) {
  return apiFetch<Assumption>(`/api/v1/roi/assumptions/${encodeURIComponent(taskType)}`, { method: "PATCH", body: JSON.stringify(patch) });
}

export function resetAssumption(taskType: string) {
  return apiFetch<Assumption>(`/api/v1/roi/assumptions/${encodeURIComponent(taskType)}/reset`, { method: "POST" });
}
