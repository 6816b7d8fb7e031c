import { TaxRatesAdmin } from "@/components/admin/tax-rates";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminTaxRatesPage() {
  if (!(await pageUserWith("/admin/tax-rates", "admin"))) return <Forbidden what="tax rates" />;
  return (
    <div className="space-y-4">
      <PageHeader
        title="Tax rates"
        description="Invoices of a customer with a tax country are taxed line by line at the rate of the line's tax category in force on the period's last day (a region's rate wins over its country's). Exempt and reverse-charge customers are set on the customer."
      />
      <TaxRatesAdmin />
    </div>
  );
}
