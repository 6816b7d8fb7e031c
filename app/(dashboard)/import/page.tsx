import { FocusImport } from "@/components/import/focus-import";
import { ImportPanel } from "@/components/import/import-panel";
import { Forbidden } from "@/components/ui/forbidden";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { pageUserWith } from "@/lib/auth/page";
import { PageHeader } from "@/components/ui/page-header";

export default async function ImportPage() {
  if (!(await pageUserWith("/import", "admin"))) return <Forbidden what="file import" />;
  return (
    <div className="space-y-4">
      <PageHeader title="Import" description="Usage events (CSV or NDJSON, any size: streamed, validated like the events API) or a cloud billing export in FOCUS 1.0–1.3. Re-importing the same rows never counts them twice." />
      <Tabs defaultValue="events">
        <TabsList>
          <TabsTrigger value="events">Usage events</TabsTrigger>
          <TabsTrigger value="focus">FOCUS billing export</TabsTrigger>
        </TabsList>
        <TabsContent value="events"><ImportPanel /></TabsContent>
        <TabsContent value="focus"><FocusImport /></TabsContent>
      </Tabs>
    </div>
  );
}
