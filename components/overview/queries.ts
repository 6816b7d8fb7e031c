import { apiFetch } from "@/components/api-client";
import type { OverviewResponse } from "@/lib/analytics/overview-schemas";

export type { OverviewResponse };

export const overviewKeys = {
  all: ["overview"] as const,
  range: (from: string, to: string, currency: string) => [...overviewKeys.all, from, to, currency] as const,
};

export function fetchOverview(from: string, to: string, currency: string, signal?: AbortSignal) {
  return apiFetch<OverviewResponse>(`/api/v1/overview?from=${from}&to=${to}&currency=${currency}`, { signal });
}
