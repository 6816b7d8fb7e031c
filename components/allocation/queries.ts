// Client slice for allocation, departments, rules and alerts: fetchers, query keys and mutation hooks.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import type { z } from "zod";
import type {
  AllocationResponse, DepartmentResponse, GlMappingResponse, MonthCloseResponse, PreviewResponse, RuleResponse, ShareImpactResponse, StatementResponse,
  budgetUpdate, departmentCreate, departmentUpdate, glMappingUpdate, ruleCreate, rulePreview,
} from "@/lib/allocation/schemas";
import type { AlertView } from "@/lib/alerts/schemas";

export const allocationKeys = {
  all: ["allocation"] as const,
  period: (period: string, currency: string) => [...allocationKeys.all, "period", period, currency] as const,
  statement: (code: string, period: string, currency: string | undefined) => [...allocationKeys.all, "statement", code, period, currency ?? ""] as const,
  departments: ["departments"] as const,
  rules: ["allocation-rules"] as const,
  closes: ["allocation-closes"] as const,
  preview: (body: unknown) => ["allocation-preview", JSON.stringify(body)] as const,
  glMapping: ["gl-mapping"] as const,
  alerts: (status: string) => ["alerts", status] as const,
};

/** `currency`: the display currency (the organization's for none). */
export function useAllocation(period: string, currency: string) {
  return useQuery({
    queryKey: allocationKeys.period(period, currency),
    queryFn: ({ signal }) => apiFetch<AllocationResponse>(`/api/v1/allocation?${new URLSearchParams({ period, currency })}`, { signal }),
  });
}

export function useStatement(code: string, period: string, currency?: string) {
  return useQuery({
    queryKey: allocationKeys.statement(code, period, currency),
    queryFn: ({ signal }) => apiFetch<StatementResponse>(`/api/v1/allocation/${encodeURIComponent(code)}?${new URLSearchParams({ period, ...(currency ? { currency } : {}) })}`, { signal }),
  });
}

export function useDepartments() {
  return useQuery({ queryKey: allocationKeys.departments, queryFn: ({ signal }) => apiFetch<{ departments: DepartmentResponse[] }>("/api/v1/departments", { signal }) });
}

export function useRules() {
  return useQuery({ queryKey: allocationKeys.rules, queryFn: ({ signal }) => apiFetch<{ rules: RuleResponse[] }>("/api/v1/allocation-rules", { signal }) });
}

/** A month's alerts, every status (the panel shows the ones not cleared). */
export function useAlerts(period: string) {
  return useQuery({ queryKey: allocationKeys.alerts(period), queryFn: ({ signal }) => apiFetch<{ alerts: AlertView[] }>(`/api/v1/alerts?period=${period}&limit=500`, { signal }) });
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
        // A budget change is evaluated at once (lib/allocation/departments.ts): alerts may have opened or cleared.
        client.invalidateQueries({ queryKey: ["alerts"] }),
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
type DepartmentCreate = z.input<typeof departmentCreate>;
type DepartmentUpdate = z.input<typeof departmentUpdate>;
type BudgetUpdate = z.input<typeof budgetUpdate>;

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });
const path = (code: string) => `/api/v1/departments/${encodeURIComponent(code)}`;

export const useCreateDepartment = () =>
  useCostCenterMutation((v: DepartmentCreate) => apiFetch<DepartmentResponse>("/api/v1/departments", json("POST", v)), "Department created");
export const useUpdateDepartment = (success = "Department saved") =>
  useCostCenterMutation(({ code, ...v }: { code: string } & DepartmentUpdate) => apiFetch<DepartmentResponse>(path(code), json("PATCH", v)), success);
export const useSetBudget = () =>
  useCostCenterMutation(({ code, ...v }: { code: string } & BudgetUpdate) => apiFetch<DepartmentResponse>(`${path(code)}/budget`, json("PUT", v)), "Budget and thresholds saved");
export const useAssignAgent = () =>
  useCostCenterMutation(({ code, agent }: { code: string; agent: string }) => apiFetch<DepartmentResponse>(`${path(code)}/agents`, json("POST", { agent })), "Agent assigned");

export type AgentChoice = { id: number; key: string; name: string; departmentId: number | null };

export function useAgentChoices() {
  // Ingestion creates agents, and no mutation here invalidates this list: refetch whenever a picker mounts.
  return useQuery({ queryKey: ["agents", "choices"], staleTime: 0, queryFn: ({ signal }) => apiFetch<{ items: AgentChoice[] }>("/api/v1/agents", { signal }).then((r) => r.items) });
}

export type UserChoice = { id: number; email: string; name: string; active: boolean };

/** Owners are users; the list is admin-only, as is changing an owner. */
export function useUserChoices(enabled: boolean) {
  return useQuery({ queryKey: ["users", "choices"], enabled, queryFn: ({ signal }) => apiFetch<{ items: UserChoice[] }>("/api/v1/users", { signal }).then((r) => r.items) });
}

export function useAcknowledgeAlert() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch<AlertView>(`/api/v1/alerts/${id}/acknowledge`, { method: "POST" }),
    meta: { success: "Alert acknowledged" },
    onSuccess: () => client.invalidateQueries({ queryKey: ["alerts"] }),
  });
}
