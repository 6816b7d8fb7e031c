import { Invitations } from "@/components/admin/invitations";
import { UsersAdmin } from "@/components/admin/users";
import { PageHeader } from "@/components/ui/page-header";
import { authOptions } from "@/lib/auth/options";
import { departmentChoices } from "@/lib/admin/catalog";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";

export default async function AdminUsersPage() {
  if (!(await pageUserWith("/admin/users", "admin"))) return <Forbidden what="user administration" />;
  const departments = await departmentChoices();
  const ssoConfigured = authOptions.providers.some((p) => p.type === "oauth");
  return (
    <div className="space-y-4">
      <PageHeader title="Users" description="Invitations, accounts, roles and department scope; locked accounts can be unlocked." />
      <Invitations departments={departments} ssoConfigured={ssoConfigured} />
      <UsersAdmin departments={departments} ssoConfigured={ssoConfigured} />
    </div>
  );
}
