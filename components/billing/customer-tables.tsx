"use client";
// The customer pages' tables (server pages pass plain rows; columns are functions, so they live here).
import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatMoney, formatNumber } from "@/lib/format";
import { StatusBadge } from "./status-badge";

export type CustomerSummaryRow = { id: number; key: string; name: string; plan: string | null; commitment: { amount: string; kind: string } | null };
export type CustomerInvoiceRow = { id: number; number: string | null; period: string; status: string; total: string; currency: string };

export function CustomersTable({ rows }: { rows: CustomerSummaryRow[] }) {
  const columns: Column<CustomerSummaryRow>[] = [
    { id: "name", header: "Customer", value: (c) => c.name, cell: (c) => <Link href={`/customers/${encodeURIComponent(c.key)}`} className="text-accent-foreground hover:underline">{c.name}</Link> },
    { id: "key", header: "Key", value: (c) => c.key, hidden: true },
    { id: "plan", header: "Plan", value: (c) => c.plan },
    { id: "commitment", header: "Commitment", type: "number", value: (c) => c.commitment?.amount ?? null, cell: (c) => (c.commitment ? `${formatNumber(c.commitment.amount)} ${c.commitment.kind}` : "—") },
    { id: "commitmentKind", header: "Commitment kind", value: (c) => c.commitment?.kind ?? null, hidden: true },
  ];
  return <DataTable title="Customers" heading={false} columns={columns} rows={rows} rowKey={(c) => String(c.id)} pageSize={50} csvName="customers.csv" />;
}

export function CustomerInvoicesTable({ rows }: { rows: CustomerInvoiceRow[] }) {
  const columns: Column<CustomerInvoiceRow>[] = [
    { id: "number", header: "Invoice", value: (inv) => inv.number ?? `Draft #${inv.id}`, cell: (inv) => <Link href={`/invoices/${inv.id}`} className="text-accent-foreground hover:underline">{inv.number ?? `Draft #${inv.id}`}</Link> },
    { id: "period", header: "Period", type: "date", value: (inv) => inv.period },
    { id: "status", header: "Status", value: (inv) => inv.status, cell: (inv) => <StatusBadge status={inv.status} /> },
    { id: "currency", header: "Currency", value: (inv) => inv.currency, hidden: true },
    { id: "total", header: "Total", type: "money", value: (inv) => inv.total, cell: (inv) => formatMoney(inv.total, inv.currency) },
  ];
  return <DataTable title="Invoices" columns={columns} rows={rows} rowKey={(inv) => String(inv.id)} empty="No invoices yet." csvName="customer-invoices.csv" />;
}
