import { JobsViewer } from "@/components/admin/jobs";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";

export default async function AdminJobsPage() {
  if (!(await pageUserWith("/admin/jobs", "admin"))) return <Forbidden what="background jobs" />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Jobs</h1>
      <JobsViewer />
    </div>
  );
}
