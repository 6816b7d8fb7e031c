import { notFound } from "next/navigation";
import { BurnDownChart } from "@/components/billing/burndown-chart";
import { CustomerLinks } from "@/components/billing/customer-links";
import { CustomerInvoicesTable } from "@/components/billing/customer-tables";
import { StatCard } from "@/components/ui/stat-card";
import { Forbidden } from "@/components/ui/forbidden";
import { Empty } from "@/components/ui/states";
import { NotFoundError } from "@/lib/api/errors";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { customerBilling } from "@/lib/billing/burndown";
import { formatMoney, formatNumber } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";

export default async function CustomerPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const user = await requirePageUser(`/customers/${key}`);
  if (isDepartmentScoped(user)) return <Forbidden what="customers and commitments (they cover the whole organisation, not your departments)" />;
  const view = await customerBilling(user, decodeURIComponent(key)).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const amount = (value: string, kind: string) => (kind === "credits" ? `${formatNumber(value)} credits` : formatMoney(value, view.currency));
  return (
    <div className="space-y-6">
      <header>
        <PageHeader title={view.customer.name} description={<>{view.customer.key} · plan {view.plan ? `${view.plan.name} (v${view.plan.version})` : "none"}</>} />
      </header>
      <Card className="space-y-1 text-sm" aria-label="Billing details">
        <h2 className="font-medium">Billing details</h2>
        <p className="whitespace-pre-line">{[view.billTo.name, view.billTo.address, view.billTo.taxId && `Tax ID ${view.billTo.taxId}`, view.billTo.email, view.billTo.poNumber && `PO ${view.billTo.poNumber}`].filter(Boolean).join("\n")}</p>
        <p className="text-muted-foreground">
          Payment terms: {view.paymentTermsDays === null ? "the organization's" : `net ${view.paymentTermsDays} days`} · Tax: {view.tax ?? "none (no tax country)"} · Edit in Admin → Customers
        </p>
      </Card>
      {view.commitments.length === 0 && <Empty message="No prepaid commitment." />}
      {view.commitments.map((c) => (
        <Card key={c.id} className="space-y-4" aria-label="Commitment">
          <h2 className="font-medium">
            Prepaid {c.kind} · {c.startsAt.slice(0, 10)} to {c.endsAt.slice(0, 10)}
          </h2>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <StatCard label="Committed" value={amount(c.amount, c.kind)} />
            <StatCard label="Balance left" value={amount(c.balance, c.kind)} testId="commitment-balance" />
            <StatCard
              label="Projected exhaustion"
              testId="commitment-exhaustion"
              value={c.projectedExhaustion ? (c.projectedExhaustion > c.endsAt.slice(0, 10) ? "after term ends" : c.projectedExhaustion) : "no usage yet"}
            />
          </div>
          <BurnDownChart unit={c.kind === "credits" ? "credits" : view.currency} data={c.points.map((p) => ({ period: p.period, drawn: Number(p.drawn), balance: Number(p.balance) }))} />
          <p className="text-xs text-muted-foreground">
            Periods with an invoice use its commitment line; later ones ({c.points.filter((p) => p.source === "live").map((p) => p.period).join(", ") || "none"}) are rated live from usage so far. The projection assumes the average daily pace since the term started.
          </p>
        </Card>
      ))}
      <CustomerInvoicesTable rows={view.invoices.map((inv) => ({ id: inv.id, number: inv.number, period: inv.period, status: inv.status, total: inv.total, currency: inv.currency }))} />
      {roleAllows(user.role, "billing:write") && <CustomerLinks customerId={view.customer.id} />}
    </div>
  );
}
