import { SimulationForm } from "@/components/billing/simulation";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { planVersions } from "@/lib/billing/plans";
import { orgSettings } from "@/lib/org";
import { dayIn, lastCompleteMonth } from "@/lib/periods";

// Pricing simulation: finance re-rates a past month under a candidate rate card; nothing is written.
export default async function SimulatePricingPage() {
  const user = await requirePageUser("/invoices/simulate");
  if (!roleAllows(user.role, "billing:write") || isDepartmentScoped(user)) return <Forbidden what="pricing simulations (finance and admin, organisation-wide)" />;
  const [org, plans] = await Promise.all([orgSettings(), planVersions()]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Simulate pricing"
        description={<>Re-rate a past month&apos;s actual usage under another rate card and compare with what customers are billed. Invoices are never changed.</>}
      />
      <SimulationForm defaultPeriod={lastCompleteMonth(dayIn(org.timeZone))} plans={plans.map((p) => ({ id: p.id, label: `${p.name} (${p.key} v${p.version}, ${p.currency.trim()})` }))} />
    </div>
  );
}
