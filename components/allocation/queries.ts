// Client slice for allocation, departments, rules and alerts: fetchers, query keys and mutation hooks.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import type { z } from "zod";
import type { AllocationResponse, budgetUpdate, departmentCreate, DepartmentResponse, departmentUpdate, RuleResponse, StatementResponse } from "@/lib/allocation/schemas";
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

/** A month's alerts, every status (the panel shows the ones not cleared). */
export function useAlerts(period: string) {
  return useQuery({ queryKey: allocationKeys.alerts(period), queryFn: ({ signal }) => apiFetch<{ alerts: AlertView[] }>(`/api/v1/alerts?period=${period}&limit=500`, { signal }) });
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
        // A budget change is evaluated at once (lib/allocation/departments.ts): alerts may have opened or cleared.
        client.invalidateQueries({ queryKey: ["alerts"] }),
      ]);
    },
  });
}

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
  return useQuery({ queryKey: ["agents", "choices"], queryFn: ({ signal }) => apiFetch<{ items: AgentChoice[] }>("/api/v1/agents", { signal }).then((r) => r.items) });
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
