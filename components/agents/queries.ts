import { apiFetch } from "@/components/api-client";
import type { AgentDetailResponse, AgentEventsResponse } from "@/lib/analytics/schemas";

export type { AgentDetailResponse, AgentEventsResponse };

export const agentKeys = {
  all: ["agents"] as const,
  detail: (key: string, params: Record<string, string>) => [...agentKeys.all, key, "detail", params] as const,
  events: (key: string, range: { from: string; to: string }) => [...agentKeys.all, key, "events", range] as const,
};

export function fetchAgent(key: string, params: Record<string, string>, signal?: AbortSignal) {
  return apiFetch<AgentDetailResponse>(`/api/v1/agents/${encodeURIComponent(key)}?${new URLSearchParams(params)}`, { signal });
}

export function fetchAgentEvents(key: string, range: { from: string; to: string }, cursor: string | null, signal?: AbortSignal) {
  const params = new URLSearchParams({ ...range, limit: "25", ...(cursor ? { cursor } : {}) });
  return apiFetch<AgentEventsResponse>(`/api/v1/agents/${encodeURIComponent(key)}/events?${params}`, { signal });
}
