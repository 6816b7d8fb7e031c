import { DepartmentsAdmin } from "@/components/allocation/departments-admin";
import { BudgetLimitsAdmin } from "@/components/budgets/limits-admin";
import { departmentChoices } from "@/lib/admin/catalog";
import { Card, CardHeader, CardTitle } from "@/components/ui/card";
import { DepartmentUpload } from "@/components/onboarding/department-upload";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { orgSettings } from "@/lib/org";

export default async function DepartmentsPage() {
  const user = await requirePageUser("/admin/departments");
  if (!roleAllows(user.role, "budgets:write")) return <Forbidden what="departments and budgets" />;
  const isAdmin = roleAllows(user.role, "admin");
  const [{ currency }, departments] = await Promise.all([orgSettings(), departmentChoices()]);
  return (
    <div className="space-y-6">
      <DepartmentsAdmin isAdmin={isAdmin} currency={currency} />
      {user.departmentIds === null && (
        <BudgetLimitsAdmin scope="department" currency={currency} targets={departments.map((d) => ({ value: d.code, label: `${d.code} — ${d.name}` }))} />
      )}
      {isAdmin && (
        <Card>
          <CardHeader><CardTitle>Import from CSV</CardTitle></CardHeader>
          <DepartmentUpload />
        </Card>
      )}
    </div>
  );
}
