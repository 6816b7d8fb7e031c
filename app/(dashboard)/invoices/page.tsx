import Link from "next/link";
import { InvoiceList } from "@/components/billing/invoice-list";
import { listCustomers } from "@/lib/admin/customers";
import { invoiceCurrencies } from "@/lib/billing/month-end";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { periodString } from "@/lib/billing/period";
import { dayIn, lastCompleteMonth } from "@/lib/periods";
import { orgSettings } from "@/lib/org";
import { NoEventsPage } from "@/components/ui/no-events";
import { hasEvents } from "@/lib/onboarding/latest";
import { PageHeader } from "@/components/ui/page-header";

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("/invoices");
  // The list is fetched by the browser from the API, which refuses scoped users too (lib/billing/queries.ts).
  if (isDepartmentScoped(user)) return <Forbidden what="invoices (they cover the whole organisation, not your departments)" />;
  if (!(await hasEvents(user))) return <NoEventsPage user={user} title="Invoices" what="usage to invoice" />;
  const org = await orgSettings();
  const params = await searchParams;
  // Default: the last complete month, the period finance usually bills.
  const today = dayIn(org.timeZone);
  const period = periodString.safeParse(params.period).data ?? lastCompleteMonth(today);
  // The other filters are read by the list from the URL; the choices come from the data.
  const [customers, currencies] = await Promise.all([
    listCustomers(user).then((rows) => rows.map((c) => ({ key: c.key, name: c.name })).sort((a, b) => a.name.localeCompare(b.name))),
    invoiceCurrencies(),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader title="Invoices" description={<>Usage rated per customer per month ({org.timeZone}); drafts are reviewed, adjusted and finalized here.</>} actions={<>{roleAllows(user.role, "billing:write") && <Link href="/invoices/simulate" className="text-sm text-accent-foreground hover:underline">Simulate pricing →</Link>}<Link href="/approvals" className="text-sm text-accent-foreground hover:underline">Approvals</Link><Link href="/customers" className="text-sm text-accent-foreground hover:underline">Customers and commitments →</Link></>} />
      <InvoiceList period={period} today={today} canWrite={roleAllows(user.role, "billing:write")} customers={customers} currencies={currencies} />
    </div>
  );
}
