import { AuditLogViewer } from "@/components/admin/audit-log";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";

export default async function AdminAuditLogPage() {
  if (!(await pageUserWith("/admin/audit-log", "admin"))) return <Forbidden what="the audit log" />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <AuditLogViewer />
    </div>
  );
}
