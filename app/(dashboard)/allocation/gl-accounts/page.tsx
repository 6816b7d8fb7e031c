import { GlAccounts } from "@/components/allocation/gl-accounts";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";

export default async function GlAccountsPage() {
  const user = await requirePageUser("/allocation/gl-accounts");
  if (!roleAllows(user.role, "admin")) return <Forbidden what="GL accounts" />;
  return (
    <div className="space-y-6">
      <PageHeader title="GL accounts" description="Where the chargeback journal posts: each department's expense account and cost center (its code when empty), against the offset account." />
      <GlAccounts />
    </div>
  );
}
