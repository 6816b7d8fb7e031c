// Client slice for invoices: query keys, fetchers and mutations over /api/v1/invoices.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import type { CreditNoteRequest } from "@/lib/billing/credit-note-plan";
import type { CreditNoteDetail } from "@/lib/billing/credit-note-schemas";
import { toast } from "@/components/ui/toast";
import type { BulkFinalizeResult, BulkSendResult, InvoiceDetail, InvoiceSummary, ListQuery } from "@/lib/billing/schemas";

export type { BulkFinalizeResult, BulkSendResult, InvoiceDetail, InvoiceSummary };
export type InvoiceStatus = InvoiceSummary["status"];
/** The list's filters and order, as URL parameters (empty = not set). */
export type InvoiceListParams = Partial<Record<"period" | "status" | "currency" | "customer" | "sent" | "q" | "sort" | "order", string>>;
export type InvoicePage = { invoices: InvoiceSummary[]; count: number; totals: { currency: string; count: number; total: string }[] };

export const PAGE_SIZE = 50;

export const invoiceKeys = {
  all: ["invoices"] as const,
  list: (params: InvoiceListParams) => [...invoiceKeys.all, "list", params] as const,
  detail: (id: number) => [...invoiceKeys.all, "detail", id] as const,
};

export function fetchInvoices(params: InvoiceListParams, offset: number, signal?: AbortSignal) {
  const search = new URLSearchParams({ ...Object.fromEntries(Object.entries(params).filter(([, v]) => v)), limit: String(PAGE_SIZE), offset: String(offset) } satisfies Partial<Record<keyof ListQuery, string>>);
  return apiFetch<InvoicePage>(`/api/v1/invoices?${search}`, { signal });
}

/** The summary (dryRun) or the run itself, over selected ids or a period's drafts matching the filters. */
export function useBulkFinalize() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { ids?: number[]; period?: string; filters?: Record<string, string>; dryRun: boolean }) => post<BulkFinalizeResult>("/api/v1/invoices/bulk-finalize", body),
    onSuccess: (_result, body) => (body.dryRun ? undefined : client.invalidateQueries({ queryKey: invoiceKeys.all })),
  });
}

export function useSendInvoices() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[]) => post<BulkSendResult>("/api/v1/invoices/bulk-send", { ids }),
    onSuccess: () => client.invalidateQueries({ queryKey: invoiceKeys.all }),
  });
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

type InvoiceAction = { action: "adjustments" | "finalize" | "void" | "send"; body?: unknown };
const actionDone: Record<Exclude<InvoiceAction["action"], "finalize">, string> = { adjustments: "Adjustment added", void: "Invoice voided", send: "Invoice sent" };

/** Adjust, finalize or void one invoice; the response is the updated invoice. */
export function useInvoiceAction(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, body }: InvoiceAction) => {
      if (action !== "send") return post<InvoiceDetail>(`/api/v1/invoices/${id}/${action}`, body);
      const send = await post<{ status: string; error: string | null }>(`/api/v1/invoices/${id}/send`);
      if (send.status === "failed") throw new Error(`The mail server refused it: ${send.error}`);
      return fetchInvoice(id);
    },
    onSuccess: (invoice, { action }) => {
      // Finalizing may instead request four-eyes approval (HTTP 202): say which happened.
      toast.success(action !== "finalize" ? actionDone[action] : invoice.awaitingApproval ? "Approval requested: a second finance or admin user must approve it" : "Invoice finalized");
      client.setQueryData(invoiceKeys.detail(id), invoice);
      return client.invalidateQueries({ queryKey: [...invoiceKeys.all, "list"] });
    },
  });
}

/** Issue a credit note against a finalized invoice; the invoice (credited, balance due, its credit notes) is refetched. */
export function useIssueCreditNote(invoiceId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreditNoteRequest) => post<CreditNoteDetail | { awaitingApproval: number }>(`/api/v1/invoices/${invoiceId}/credit-notes`, body),
    onSuccess: (result) => {
      // At or above the four-eyes threshold the API answers 202 with the approval request instead.
      toast.success("awaitingApproval" in result ? "Approval requested: a second finance or admin user must approve this credit note" : "Credit note issued");
      return client.invalidateQueries({ queryKey: invoiceKeys.all });
    },
  });
}
