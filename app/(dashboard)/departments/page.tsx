import { DepartmentsAdmin } from "@/components/allocation/departments-admin";
import { DepartmentUpload } from "@/components/onboarding/department-upload";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { Card } from "@/components/ui/card";

export default async function DepartmentsPage() {
  const user = await requirePageUser("/departments");
  if (!roleAllows(user.role, "budgets:write")) return <Forbidden what="departments and budgets" />;
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Departments</h1>
        <p className="text-sm text-muted-foreground">
          The cost-center tree. Departments are archived, never deleted: events keep the department they were booked to.
        </p>
      </header>
      <DepartmentsAdmin isAdmin={roleAllows(user.role, "admin")} />
      {roleAllows(user.role, "admin") && (
        <Card>
          <h2 className="mb-2 font-medium">Import from CSV</h2>
          <DepartmentUpload />
        </Card>
      )}
    </div>
  );
}
