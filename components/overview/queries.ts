import { apiFetch } from "@/components/api-client";
import type { Forecast } from "@/lib/analytics/forecast";

export type OverviewResponse = {
  currency: string;
  timeZone: string;
  range: { from: string; to: string };
  previous: { from: string; to: string };
  current: { cost: string; events: number; activeAgents: number };
  prior: { cost: string; events: number; activeAgents: number };
  topDepartments: { id: number; key: string; name: string; cost: string; events: number }[];
  topAgents: { id: number; key: string; name: string; cost: string; events: number }[];
  daily: { day: string; cost: string; events: number }[];
  forecast: Forecast;
  movers: { kind: "agent" | "department"; key: string; name: string; cost: string; previousCost: string; change: string }[];
  /** Events with tokens but no price in the range (their cost is not in `current.cost`). */
  unpriced: { events: number; tokens: number };
};

export const overviewKeys = {
  all: ["overview"] as const,
  range: (from: string, to: string) => [...overviewKeys.all, from, to] as const,
};

export function fetchOverview(from: string, to: string, signal?: AbortSignal) {
  return apiFetch<OverviewResponse>(`/api/v1/overview?from=${from}&to=${to}`, { signal });
}
