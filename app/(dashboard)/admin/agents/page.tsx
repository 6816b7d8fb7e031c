import { AgentsAdmin } from "@/components/admin/agents";
import { departmentChoices } from "@/lib/admin/catalog";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminAgentsPage() {
  if (!(await pageUserWith("/admin/agents", "admin"))) return <Forbidden what="agent administration" />;
  const departments = await departmentChoices();
  return (
    <div className="space-y-4">
      <PageHeader title="Agents" />
      <AgentsAdmin departments={departments} />
    </div>
  );
}
