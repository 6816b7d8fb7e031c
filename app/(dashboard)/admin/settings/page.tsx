import { OrganizationBudget } from "@/components/admin/org-budget";
import { RetentionAdmin } from "@/components/admin/retention";
import { SettingsAdmin } from "@/components/admin/settings";
import { getSettings } from "@/lib/admin/settings";
import { retentionOverview } from "@/lib/retention/admin";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminSettingsPage() {
  if (!(await pageUserWith("/admin/settings", "admin"))) return <Forbidden what="organization settings" />;
  const settings = await getSettings();
  return (
    <div className="space-y-4">
      <PageHeader title="Settings" />
      <SettingsAdmin initial={settings} />
      <OrganizationBudget monthlyBudget={settings.monthlyBudget} thresholds={settings.budgetThresholds} currency={settings.currency} />
      <RetentionAdmin initial={await retentionOverview()} />
    </div>
  );
}
