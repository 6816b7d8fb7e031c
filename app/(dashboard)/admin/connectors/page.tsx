import { ConnectorsAdmin } from "@/components/connectors/connectors-admin";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";

export default async function AdminConnectorsPage() {
  if (!(await pageUserWith("/admin/connectors", "admin"))) return <Forbidden what="connectors" />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Connectors</h1>
      <p className="text-sm text-slate-600">Scheduled pulls from provider usage and cost APIs. Keys are stored encrypted and never shown again.</p>
      <ConnectorsAdmin />
    </div>
  );
}
