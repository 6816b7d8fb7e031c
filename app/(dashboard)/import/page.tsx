import { ImportPanel } from "@/components/import/import-panel";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function ImportPage() {
  if (!(await pageUserWith("/import", "admin"))) return <Forbidden what="file import" />;
  return (
    <div className="space-y-4">
      <PageHeader title="Import usage events" description="CSV or NDJSON, any size: the file is streamed, validated like the events API, and re-importing the same ids never counts them twice." />
      <ImportPanel />
    </div>
  );
}
