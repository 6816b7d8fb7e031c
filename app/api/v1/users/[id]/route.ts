// PATCH /api/v1/users/:id — change a user's name, role, department scope or password; deactivate or reactivate
import { updateUser } from "@/lib/admin/users";
import { idParams, userUpdate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({
  auth: "session",
  permission: "admin",
  body: userUpdate,
  handler: async ({ caller, body, params }) => updateUser(caller, idParams.parse(params).id, body),
});
