// DELETE /api/v1/api-keys/:id — revoke a key (it stops working at once; the row stays for the audit trail)
import { revokeApiKey } from "@/lib/admin/api-keys";
import { idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const DELETE = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => revokeApiKey(caller, idParams.parse(params).id),
});
