import { AlertsAdmin } from "@/components/alerts/alerts-admin";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { orgSettings } from "@/lib/org";

export default async function AlertsAdminPage() {
  const user = await requirePageUser("/admin/alerts");
  if (!roleAllows(user.role, "budgets:write")) return <Forbidden what="alert thresholds and channels" />;
  const { currency } = await orgSettings();
  return (
    <div className="space-y-6">
      <PageHeader title="Alerts and channels" description="Budget thresholds per department, where alerts are sent, and what was sent." />
      <AlertsAdmin isAdmin={roleAllows(user.role, "admin")} currency={currency} />
    </div>
  );
}
