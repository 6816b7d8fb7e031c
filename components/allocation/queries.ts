// Client slice for allocation, departments, rules and alerts: fetchers, query keys and mutation hooks.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import type { AllocationResponse, DepartmentResponse, RuleResponse, StatementResponse } from "@/lib/allocation/schemas";
import type { AlertView } from "@/lib/alerts/schemas";

export const allocationKeys = {
  all: ["allocation"] as const,
  period: (period: string) => [...allocationKeys.all, "period", period] as const,
  statement: (code: string, period: string) => [...allocationKeys.all, "statement", code, period] as const,
  departments: ["departments"] as const,
  rules: ["allocation-rules"] as const,
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

/** Department, budget and rule changes move the allocation numbers too, so both caches are invalidated. */
function useCostCenterMutation<V>(request: (vars: V) => Promise<unknown>, success: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    meta: { success },
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: allocationKeys.departments }),
        client.invalidateQueries({ queryKey: allocationKeys.all }),
        client.invalidateQueries({ queryKey: allocationKeys.rules }),
      ]);
    },
  });
}

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
