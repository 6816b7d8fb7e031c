import { RulesEditor } from "@/components/allocation/rules-editor";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { dayIn } from "@/lib/periods";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { orgSettings } from "@/lib/org";

export default async function AllocationRulesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("/allocation/rules");
  if (!roleAllows(user.role, "budgets:write")) return <Forbidden what="allocation rules" />;
  const org = await orgSettings();
  const params = await searchParams;
  const from = params.from && /^\d{4}-\d{2}-\d{2}$/.test(params.from) ? params.from : `${dayIn(org.timeZone).slice(0, 7)}-01`;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Allocation rules"
        description="How each shared agent's cost is split between departments. A change is a new version from a date; closed months keep their figures and changes reach the next open month as adjustments."
      />
      <RulesEditor initialAgent={params.agent ?? null} initialFrom={from} currency={org.currency} />
    </div>
  );
}
