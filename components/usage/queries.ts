import { apiFetch } from "@/components/api-client";
import type { UsageResponse } from "@/lib/analytics/schemas";

export type { UsageResponse };

export const usageKeys = {
  all: ["usage"] as const,
  list: (params: Record<string, string>) => [...usageKeys.all, params] as const,
};

export function fetchUsage(params: Record<string, string>, signal?: AbortSignal) {
  return apiFetch<UsageResponse>(`/api/v1/usage?${new URLSearchParams(params)}`, { signal });
}
