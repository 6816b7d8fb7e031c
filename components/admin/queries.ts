// Admin API client: one query key per resource list; every mutation invalidates exactly that list.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";

export type Resource = "users" | "api-keys" | "agents" | "task-types" | "model-prices" | "customers" | "budget-limits" | "meters" | "tax-rates" | "rate-cards";

export const adminKeys = {
  all: ["admin"] as const,
  list: (resource: Resource) => [...adminKeys.all, resource] as const,
  settings: () => [...adminKeys.all, "settings"] as const,
  audit: (filters: Record<string, string>) => [...adminKeys.all, "audit", filters] as const,
  jobs: (state: string) => [...adminKeys.all, "jobs", state] as const,
};

export function useList<T>(resource: Resource) {
  return useQuery({
    queryKey: adminKeys.list(resource),
    queryFn: ({ signal }) => apiFetch<{ items: T[] }>(`/api/v1/${resource}`, { signal }).then((r) => r.items),
  });
}

const nouns: Record<Resource, string> = { users: "User", "api-keys": "API key", agents: "Agent", "task-types": "Task type", "model-prices": "Model price", customers: "Customer", "budget-limits": "Budget limit", meters: "Meter", "tax-rates": "Tax rate", "rate-cards": "Rate card" };

type MutateVars = { method: "POST" | "PATCH" | "DELETE"; path?: string | number; body?: unknown };

/** The success toast's words; a sub-path (e.g. `12/plans`) changes something of the item, so it is "saved". */
function successMessage(resource: Resource, { method, path = "" }: MutateVars): string {
  const noun = nouns[resource];
  if (method === "DELETE") return resource === "api-keys" ? `${noun} revoked` : `${noun} deleted`;
  return method === "POST" && path === "" ? `${noun} created` : `${noun} saved`;
}

/** POST to the collection, PATCH/DELETE to one item (or a sub-path such as `12/plans`). */
export function useMutate<T = unknown>(resource: Resource) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ method, path = "", body }: MutateVars) =>
      apiFetch<T>(`/api/v1/${resource}${path === "" ? "" : `/${path}`}`, { method, body: body === undefined ? undefined : JSON.stringify(body) }),
    onSuccess: () => client.invalidateQueries({ queryKey: adminKeys.list(resource) }),
    meta: { success: (vars: MutateVars) => successMessage(resource, vars) },
  });
}
