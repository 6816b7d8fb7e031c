import { MetersAdmin } from "@/components/admin/meters";
import { agentChoices, listTaskTypes } from "@/lib/admin/catalog";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminMetersPage() {
  const user = await pageUserWith("/admin/meters", "billing:write");
  if (!user || isDepartmentScoped(user)) return <Forbidden what="meter administration" />;
  const [agents, taskTypes] = await Promise.all([agentChoices(), listTaskTypes()]);
  return (
    <div className="space-y-4">
      <PageHeader title="Meters" />
      <MetersAdmin agents={agents} taskTypes={taskTypes} />
    </div>
  );
}
