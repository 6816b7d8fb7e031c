// Client slice for invoices: query keys, fetchers and mutations over /api/v1/invoices.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import type { CreditNoteRequest } from "@/lib/billing/credit-note-plan";
import type { CreditNoteDetail } from "@/lib/billing/credit-note-schemas";
import type { InvoiceDetail, InvoiceSummary } from "@/lib/billing/schemas";

export type { InvoiceDetail, InvoiceSummary };
export type InvoiceStatus = InvoiceSummary["status"];

export const invoiceKeys = {
  all: ["invoices"] as const,
  list: (period: string, status: string) => [...invoiceKeys.all, "list", period, status] as const,
  detail: (id: number) => [...invoiceKeys.all, "detail", id] as const,
};

export function fetchInvoices(period: string, status: string, signal?: AbortSignal) {
  const search = new URLSearchParams({ period, ...(status ? { status } : {}) });
  return apiFetch<{ invoices: InvoiceSummary[] }>(`/api/v1/invoices?${search}`, { signal });
}

export function fetchInvoice(id: number, signal?: AbortSignal) {
  return apiFetch<InvoiceDetail>(`/api/v1/invoices/${id}`, { signal });
}

const post = <T>(url: string, body?: unknown) => apiFetch<T>(url, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });

export function useGenerateDrafts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (period: string) => post<{ period: string }>("/api/v1/invoices/drafts", { period }),
    meta: { success: "Draft invoices generated" },
    onSuccess: () => client.invalidateQueries({ queryKey: invoiceKeys.all }),
  });
}

type InvoiceAction = { action: "adjustments" | "finalize" | "void"; body?: unknown };
const actionDone: Record<InvoiceAction["action"], string> = { adjustments: "Adjustment added", finalize: "Invoice finalized", void: "Invoice voided" };

/** Adjust, finalize or void one invoice; the response is the updated invoice. */
export function useInvoiceAction(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: InvoiceAction) => post<InvoiceDetail>(`/api/v1/invoices/${id}/${action}`, body),
    meta: { success: ({ action }: InvoiceAction) => actionDone[action] },
    onSuccess: (invoice) => {
      client.setQueryData(invoiceKeys.detail(id), invoice);
      return client.invalidateQueries({ queryKey: [...invoiceKeys.all, "list"] });
    },
  });
}

/** Issue a credit note against a finalized invoice; the invoice (credited, balance due, its credit notes) is refetched. */
export function useIssueCreditNote(invoiceId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreditNoteRequest) => post<CreditNoteDetail>(`/api/v1/invoices/${invoiceId}/credit-notes`, body),
    meta: { success: "Credit note issued" },
    onSuccess: () => client.invalidateQueries({ queryKey: invoiceKeys.all }),
  });
}
