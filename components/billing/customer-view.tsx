"use client";
// The tables of the public customer view (/c/<token>): finalized invoices with their PDF, and usage to date.
import { DataTable, type Column } from "@/components/ui/data-table";
import { TimeZoneProvider } from "@/components/ui/time-zone";
import { formatMoney } from "@/lib/format";

type Invoice = { id: number; number: string; period: string; currency: string; total: string; finalizedAt: string | null };
type Usage = { meter: string; unit: string; quantity: string };

export function CustomerViewTables({ token, timeZone, period, invoices, usage }: { token: string; timeZone: string; period: string; invoices: Invoice[]; usage: Usage[] }) {
  const invoiceColumns: Column<Invoice>[] = [
    { id: "number", header: "Invoice", value: (i) => i.number },
    { id: "period", header: "Period", value: (i) => i.period },
    { id: "finalizedAt", header: "Issued", type: "date", value: (i) => i.finalizedAt },
    { id: "total", header: "Total", type: "money", value: (i) => i.total, cell: (i) => formatMoney(i.total, i.currency) },
    {
      id: "pdf",
      header: "Document",
      csv: false,
      cell: (i) => (
        <a href={`/c/${encodeURIComponent(token)}/invoices/${i.id}/pdf`} className="text-accent-foreground hover:underline">
          Download PDF
        </a>
      ),
    },
  ];
  const usageColumns: Column<Usage>[] = [
    { id: "meter", header: "Meter", value: (u) => u.meter },
    { id: "quantity", header: "Quantity to date", type: "number", value: (u) => u.quantity },
    { id: "unit", header: "Unit", value: (u) => u.unit },
  ];
  return (
    <TimeZoneProvider timeZone={timeZone}>
      <DataTable title="Invoices" columns={invoiceColumns} rows={invoices} rowKey={(i) => String(i.id)} empty="No finalized invoices yet." csvName="invoices.csv" />
      <DataTable title={`Usage in ${period} so far`} columns={usageColumns} rows={usage} rowKey={(u) => u.meter} empty="No metered usage this month." />
    </TimeZoneProvider>
  );
}
