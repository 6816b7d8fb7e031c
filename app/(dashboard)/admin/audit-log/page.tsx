import { AuditLogViewer } from "@/components/admin/audit-log";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminAuditLogPage() {
  if (!(await pageUserWith("/admin/audit-log", "admin"))) return <Forbidden what="the audit log" />;
  return (
    <div className="space-y-4">
      <PageHeader title="Audit log" />
      <AuditLogViewer />
    </div>
  );
}
