import { TaskTypesAdmin } from "@/components/admin/task-types";
import { orgSettings } from "@/lib/org";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminTaskTypesPage() {
  if (!(await pageUserWith("/admin/task-types", "baselines:write"))) return <Forbidden what="task type baselines" />;
  const org = await orgSettings();
  return (
    <div className="space-y-4">
      <PageHeader title="Task types" />
      <TaskTypesAdmin currency={org.currency} />
    </div>
  );
}
