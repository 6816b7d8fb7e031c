// Invoice downloads: file names and the CSV layout (the PDF is in pdf.ts).
import { toCsv } from "@/lib/csv";
import type { InvoiceDetail, InvoiceSummary } from "./schemas";

export function exportFilename(invoice: Pick<InvoiceSummary, "id" | "number" | "period" | "status">, ext: "pdf" | "csv"): string {
  return `${invoice.number ?? `draft-${invoice.id}-${invoice.period}`}.${ext}`;
}

/** A row per line (tax lines: quantity = taxable base, unit price = percent), then subtotal, adjustments, tax and total as rows of kind "total", then each FX rate used (kind "fx_rate", the rate as unit price). */
export function invoiceCsv(invoice: InvoiceDetail): string {
  const header = ["invoice_id", "invoice_number", "status", "customer", "period", "currency", "kind", "meter", "description", "quantity", "unit", "unit_price", "amount", "reason"];
  const base = [invoice.id, invoice.number, invoice.status, invoice.customer?.key, invoice.period, invoice.currency];
  const rows = invoice.lines.map((l) => [...base, l.kind, l.meter?.key, l.description, l.quantity, l.meter?.unit, l.unitPrice, l.amount, l.reason]);
  const totals = [
    ["subtotal", invoice.subtotal],
    ["adjustments_total", invoice.adjustmentsTotal],
    ["tax_total", invoice.taxTotal],
    ["total", invoice.total],
  ].map(([name, amount]) => [...base, "total", null, name, null, null, null, amount, null]);
  const rates = (invoice.fx?.rates ?? []).map((r) => [...base, "fx_rate", null, `1 ${r.from} in ${r.to}: ${r.method} rate dated ${r.date} for ${r.day}`, null, null, r.rate, null, null]);
  return toCsv(header, [...rows, ...totals, ...rates]);
}
