import { ApiKeysAdmin } from "@/components/admin/api-keys";
import { env } from "@/lib/env";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function AdminApiKeysPage() {
  if (!(await pageUserWith("/admin/api-keys", "admin"))) return <Forbidden what="API keys" />;
  return (
    <div className="space-y-4">
      <PageHeader title="API keys" />
      <ApiKeysAdmin defaultRateLimit={env().API_RATE_LIMIT_PER_MINUTE} />
    </div>
  );
}
