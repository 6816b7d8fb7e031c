// Client slice for allocation, departments, rules and alerts: fetchers, query keys and mutation hooks.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import type { z } from "zod";
import type {
  AllocationResponse, DepartmentResponse, GlMappingResponse, MonthCloseResponse, PreviewResponse, RuleResponse, ShareImpactResponse, StatementResponse,
  glMappingUpdate, ruleCreate, rulePreview,
} from "@/lib/allocation/schemas";
import type { AlertView } from "@/lib/alerts/schemas";

export const allocationKeys = {
  all: ["allocation"] as const,
  period: (period: string) => [...allocationKeys.all, "period", period] as const,
  statement: (code: string, period: string) => [...allocationKeys.all, "statement", code, period] as const,
  departments: ["departments"] as const,
  rules: ["allocation-rules"] as const,
  closes: ["allocation-closes"] as const,
  preview: (body: unknown) => ["allocation-preview", JSON.stringify(body)] as const,
  glMapping: ["gl-mapping"] as const,
  alerts: (status: string) => ["alerts", status] as const,
};

export function useAllocation(period: string) {
  return useQuery({ queryKey: allocationKeys.period(period), queryFn: ({ signal }) => apiFetch<AllocationResponse>(`/api/v1/allocation?period=${period}`, { signal }) });
}

export function useStatement(code: string, period: string) {
  return useQuery({
    queryKey: allocationKeys.statement(code, period),
    queryFn: ({ signal }) => apiFetch<StatementResponse>(`/api/v1/allocation/${encodeURIComponent(code)}?period=${period}`, { signal }),
  });
}

export function useDepartments() {
  return useQuery({ queryKey: allocationKeys.departments, queryFn: ({ signal }) => apiFetch<{ departments: DepartmentResponse[] }>("/api/v1/departments", { signal }) });
}

export function useRules() {
  return useQuery({ queryKey: allocationKeys.rules, queryFn: ({ signal }) => apiFetch<{ rules: RuleResponse[] }>("/api/v1/allocation-rules", { signal }) });
}

export function useAlerts(status: "open" | "acknowledged" | "cleared") {
  return useQuery({ queryKey: allocationKeys.alerts(status), queryFn: ({ signal }) => apiFetch<{ alerts: AlertView[] }>(`/api/v1/alerts?status=${status}`, { signal }) });
}

export function useCloses() {
  return useQuery({ queryKey: allocationKeys.closes, queryFn: ({ signal }) => apiFetch<{ closes: MonthCloseResponse[] }>("/api/v1/allocation-closes", { signal }) });
}

/** Before/after of an unsaved rule change; runs only for a body that passed the client-side checks. */
export function usePreview(body: z.input<typeof rulePreview> | null) {
  return useQuery({
    queryKey: allocationKeys.preview(body),
    enabled: body !== null,
    retry: false,
    queryFn: ({ signal }) => apiFetch<PreviewResponse>("/api/v1/allocation-rules/preview", { signal, method: "POST", body: JSON.stringify(body) }),
  });
}

export function useShareImpact() {
  return useMutation({ mutationFn: (agent: string) => apiFetch<ShareImpactResponse>(`/api/v1/allocation-rules/share-impact?agent=${encodeURIComponent(agent)}`) });
}

export function useGlMapping() {
  return useQuery({ queryKey: allocationKeys.glMapping, queryFn: ({ signal }) => apiFetch<GlMappingResponse>("/api/v1/gl-mapping", { signal }) });
}

/** Department, budget, rule and close changes move the allocation numbers too, so those caches are invalidated. */
function useCostCenterMutation<V>(request: (vars: V) => Promise<unknown>, success: string | ((vars: V) => string)) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    meta: { success },
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: allocationKeys.departments }),
        client.invalidateQueries({ queryKey: allocationKeys.all }),
        client.invalidateQueries({ queryKey: allocationKeys.rules }),
        client.invalidateQueries({ queryKey: allocationKeys.closes }),
        client.invalidateQueries({ queryKey: ["allocation-preview"] }),
        client.invalidateQueries({ queryKey: allocationKeys.glMapping }),
      ]);
    },
  });
}

export const useCloseMonth = () =>
  useCostCenterMutation((period: string) => apiFetch<MonthCloseResponse>("/api/v1/allocation-closes", { method: "POST", body: JSON.stringify({ period }) }), (p: string) => `${p} closed`);
export const useReopenMonth = () =>
  useCostCenterMutation(
    ({ period, reason }: { period: string; reason: string }) => apiFetch<void>(`/api/v1/allocation-closes/${period}/reopen`, { method: "POST", body: JSON.stringify({ reason }) }),
    (v: { period: string }) => `${v.period} reopened`,
  );
export const useCreateRule = () =>
  useCostCenterMutation(
    (v: z.input<typeof ruleCreate>) => apiFetch<RuleResponse>("/api/v1/allocation-rules", { method: "POST", body: JSON.stringify(v) }),
    (v: { agent: string; effectiveFrom: string }) => `Rule for ${v.agent} saved from ${v.effectiveFrom}`,
  );
export const useEndRule = () =>
  useCostCenterMutation(
    ({ id, effectiveTo }: { id: number; effectiveTo: string | null }) => apiFetch<RuleResponse>(`/api/v1/allocation-rules/${id}`, { method: "PATCH", body: JSON.stringify({ effectiveTo }) }),
    (v: { id: number; effectiveTo: string | null }) => (v.effectiveTo ? `Rule #${v.id} ends on ${v.effectiveTo}` : `Rule #${v.id} no longer ends`),
  );
export const useDeleteRule = () => useCostCenterMutation((id: number) => apiFetch<void>(`/api/v1/allocation-rules/${id}`, { method: "DELETE" }), (id: number) => `Rule #${id} deleted`);
export const useSaveGlMapping = () =>
  useCostCenterMutation((v: z.input<typeof glMappingUpdate>) => apiFetch<GlMappingResponse>("/api/v1/gl-mapping", { method: "PUT", body: JSON.stringify(v) }), "GL accounts saved");

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });
const path = (code: string) => `/api/v1/departments/${encodeURIComponent(code)}`;

export const useCreateDepartment = () =>
  useCostCenterMutation((v: { code: string; name: string; parent: string | null; monthlyBudget: string | null }) => apiFetch<DepartmentResponse>("/api/v1/departments", json("POST", v)), "Department created");
export const useUpdateDepartment = () =>
  useCostCenterMutation(({ code, ...v }: { code: string; name?: string; parent?: string | null; archived?: boolean }) => apiFetch<DepartmentResponse>(path(code), json("PATCH", v)), "Department saved");
export const useSetBudget = () =>
  useCostCenterMutation(({ code, ...v }: { code: string; monthlyBudget: string | null }) => apiFetch<DepartmentResponse>(`${path(code)}/budget`, json("PUT", v)), "Budget saved");
export const useAssignAgent = () =>
  useCostCenterMutation(({ code, agent }: { code: string; agent: string }) => apiFetch<DepartmentResponse>(`${path(code)}/agents`, json("POST", { agent })), "Agent assigned");

export function useAcknowledgeAlert() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch<AlertView>(`/api/v1/alerts/${id}/acknowledge`, { method: "POST" }),
    meta: { success: "Alert acknowledged" },
    onSuccess: () => client.invalidateQueries({ queryKey: ["alerts"] }),
  });
}
