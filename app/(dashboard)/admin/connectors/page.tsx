import { ConnectorsAdmin } from "@/components/connectors/connectors-admin";
import { SalesforceAdmin } from "@/components/connectors/salesforce-admin";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminConnectorsPage() {
  if (!(await pageUserWith("/admin/connectors", "admin"))) return <Forbidden what="connectors" />;
  return (
    <div className="space-y-4">
      <PageHeader title="Connectors" description="Scheduled pulls from provider usage and cost APIs. Keys are stored encrypted and never shown again." />
      <ConnectorsAdmin />
      <h2 className="pt-4 text-xl font-semibold">Salesforce</h2>
      <p className="text-sm text-muted-foreground">Agentforce consumption pulled by SOQL; finalized invoices and monthly usage summaries pushed back.</p>
      <SalesforceAdmin />
    </div>
  );
}
