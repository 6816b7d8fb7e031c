// PATCH|DELETE /api/v1/api-keys/:id — change a key's usage source; revoke a key (it stops working at once; the row stays for the audit trail)
import { revokeApiKey, updateApiKey } from "@/lib/admin/api-keys";
import { apiKeyUpdate, idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({
  auth: "session",
  permission: "admin",
  body: apiKeyUpdate,
  handler: async ({ caller, params, body }) => updateApiKey(caller, idParams.parse(params).id, body),
});

export const DELETE = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => revokeApiKey(caller, idParams.parse(params).id),
});
