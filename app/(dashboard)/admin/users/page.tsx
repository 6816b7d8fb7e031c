import { UsersAdmin } from "@/components/admin/users";
import { departmentChoices } from "@/lib/admin/catalog";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";

export default async function AdminUsersPage() {
  if (!(await pageUserWith("/admin/users", "admin"))) return <Forbidden what="user administration" />;
  const departments = await departmentChoices();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Users</h1>
      <UsersAdmin departments={departments} />
    </div>
  );
}
