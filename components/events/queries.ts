// Events explorer: API client and query keys.
import { apiFetch } from "@/components/api-client";
import type { EventsResponse } from "@/lib/analytics/schemas";

export type { EventsResponse };

export const eventKeys = {
  all: ["events"] as const,
  list: (params: Record<string, string>) => [...eventKeys.all, params] as const,
};

export function fetchEvents(params: Record<string, string>, cursor: string | null, signal?: AbortSignal) {
  const search = new URLSearchParams({ ...params, limit: "100", ...(cursor ? { cursor } : {}) });
  return apiFetch<EventsResponse>(`/api/v1/events?${search}`, { signal });
}
