import { ImportPanel } from "@/components/import/import-panel";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";

export default async function ImportPage() {
  if (!(await pageUserWith("/import", "admin"))) return <Forbidden what="file import" />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Import usage events</h1>
      <p className="text-sm text-slate-600">CSV or NDJSON, any size: the file is streamed, validated like the events API, and re-importing the same ids never counts them twice.</p>
      <ImportPanel />
    </div>
  );
}
