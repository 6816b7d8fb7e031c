import { JobsViewer } from "@/components/admin/jobs";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminJobsPage() {
  if (!(await pageUserWith("/admin/jobs", "admin"))) return <Forbidden what="background jobs" />;
  return (
    <div className="space-y-4">
      <PageHeader title="Jobs" />
      <JobsViewer />
    </div>
  );
}
