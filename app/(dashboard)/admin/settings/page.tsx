import { SettingsAdmin } from "@/components/admin/settings";
import { getSettings } from "@/lib/admin/settings";
import { Forbidden } from "@/components/ui/forbidden";
import { pageUserWith } from "@/lib/auth/page";

export default async function AdminSettingsPage() {
  if (!(await pageUserWith("/admin/settings", "admin"))) return <Forbidden what="organization settings" />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <SettingsAdmin initial={await getSettings()} />
    </div>
  );
}
