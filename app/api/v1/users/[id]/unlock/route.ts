// POST /api/v1/users/:id/unlock — lift a user's sign-in limits (failure window and per-source delays); audited
import { unlockUser } from "@/lib/admin/users";
import { idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => unlockUser(caller, idParams.parse(params).id),
});
