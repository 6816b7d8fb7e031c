// DELETE /api/v1/pricing/aliases/:id — remove a model alias
import { idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";
import { deleteAlias } from "@/lib/pricing/admin";

export const dynamic = "force-dynamic";

export const DELETE = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => deleteAlias(caller, idParams.parse(params).id),
});
