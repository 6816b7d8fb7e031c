import { ApprovalsView } from "@/components/approvals/approvals-view";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { pageUserWith } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { isDepartmentScoped } from "@/lib/auth/scope";

export default async function ApprovalsPage() {
  const user = await pageUserWith("/approvals", "billing:write");
  // Approvals cover organisation-wide actions (invoices, re-costing): not for department-scoped users.
  if (!user || isDepartmentScoped(user)) return <Forbidden what="approvals" />;
  return (
    <div className="space-y-6">
      <PageHeader title="Approvals" description="Four-eyes approval: invoice finalizations and re-costing runs at or above the threshold wait here for a second finance or admin user." />
      <ApprovalsView userId={user.id} isAdmin={roleAllows(user.role, "admin")} />
    </div>
  );
}
