// GET|PATCH /api/v1/settings — organization name, currency, time zone, fiscal month start (a time-zone change rebuilds rollups)
import { getSettings, updateSettings } from "@/lib/admin/settings";
import { settingsUpdate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async () => getSettings() });

export const PATCH = withRoute({
  auth: "session",
  permission: "admin",
  body: settingsUpdate,
  handler: async ({ caller, body }) => updateSettings(caller, body),
});
