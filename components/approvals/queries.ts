// Client slice for four-eyes approvals: query keys, fetchers and mutations over /api/v1/approvals.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { invoiceKeys } from "@/components/billing/queries";
import type { ApprovalDto, FourEyesSettings } from "@/lib/approvals/schemas";

export type { ApprovalDto, FourEyesSettings };

export const approvalKeys = {
  all: ["approvals"] as const,
  list: (status: string) => [...approvalKeys.all, "list", status] as const,
  settings: () => [...approvalKeys.all, "settings"] as const,
};

export function fetchApprovals(status: string, signal?: AbortSignal) {
  return apiFetch<{ approvals: ApprovalDto[] }>(`/api/v1/approvals${status ? `?status=${status}` : ""}`, { signal });
}

export function fetchFourEyes(signal?: AbortSignal) {
  return apiFetch<FourEyesSettings>("/api/v1/approvals/settings", { signal });
}

export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, reason }: { id: number; decision: "approve" | "reject"; reason?: string }) =>
      apiFetch<ApprovalDto>(`/api/v1/approvals/${id}/${decision}`, { method: "POST", body: decision === "reject" ? JSON.stringify({ reason }) : undefined }),
    meta: { success: ({ decision }: { decision: string }) => (decision === "approve" ? "Approved: the action ran" : "Rejected") },
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: approvalKeys.all }), client.invalidateQueries({ queryKey: invoiceKeys.all })]),
  });
}

export function useSaveFourEyes() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { enabled: boolean; threshold: string | null }) => apiFetch<FourEyesSettings>("/api/v1/approvals/settings", { method: "PUT", body: JSON.stringify(body) }),
    meta: { success: "Four-eyes settings saved" },
    onSuccess: (settings) => client.setQueryData(approvalKeys.settings(), settings),
  });
}
