import { AgentsAdmin } from "@/components/admin/agents";
import { BudgetLimitsAdmin } from "@/components/budgets/limits-admin";
import { orgSettings } from "@/lib/org";
import { agentChoices, departmentChoices } from "@/lib/admin/catalog";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminAgentsPage() {
  if (!(await pageUserWith("/admin/agents", "admin"))) return <Forbidden what="agent administration" />;
  const [departments, agents, { currency }] = await Promise.all([
    departmentChoices(),
    agentChoices(),
    orgSettings(),
  ]);
  return (
    <div className="space-y-4">
      <PageHeader title="Agents" />
      <AgentsAdmin departments={departments} />
      <BudgetLimitsAdmin scope="agent" currency={currency} targets={agents.map((a) => ({ value: a.key, label: `${a.key} — ${a.name}` }))} />
    </div>
  );
}
