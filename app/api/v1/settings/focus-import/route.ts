// GET|PUT /api/v1/settings/focus-import — the FOCUS import's AI row filter, cost column and mapping rules (admin)
import { withRoute } from "@/lib/api/route";
import { getFocusSettings, updateFocusSettings } from "@/lib/focus-import/settings";
import { FocusSettingsSchema } from "@/lib/focus-import/settings-schema";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "session", permission: "admin", handler: async () => getFocusSettings() });

export const PUT = withRoute({
  auth: "session",
  permission: "admin",
  body: FocusSettingsSchema,
  handler: async ({ caller, body }) => updateFocusSettings(caller, body),
});
