// Saved views: API client and query keys.
import { apiFetch } from "@/components/api-client";
import type { SavedViewDto, ViewsResponse } from "@/lib/views/schemas";

export type { SavedViewDto };

export const viewKeys = {
  all: ["views"] as const,
  page: (path: string) => [...viewKeys.all, path] as const,
};

export function fetchViews(path: string, signal?: AbortSignal) {
  return apiFetch<ViewsResponse>(`/api/v1/views?${new URLSearchParams({ path })}`, { signal });
}

export function createView(body: { name: string; path: string; query: string; shared: boolean; isDefault: boolean }) {
  return apiFetch<SavedViewDto>("/api/v1/views", { method: "POST", body: JSON.stringify(body) });
}

export function updateView(id: number, body: { isDefault?: boolean; shared?: boolean; name?: string }) {
  return apiFetch<SavedViewDto>(`/api/v1/views/${id}`, { method: "PATCH", body: JSON.stringify(body) });
}

export function deleteView(id: number) {
  return apiFetch<{ deleted: number }>(`/api/v1/views/${id}`, { method: "DELETE" });
}
