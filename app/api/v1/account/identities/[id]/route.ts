// DELETE /api/v1/account/identities/:id — unlink one of your SSO identities (not your only way to sign in)
import { idParams } from "@/lib/admin/schemas";
import { unlinkIdentity } from "@/lib/auth/account";
import type { UserCaller } from "@/lib/auth/caller";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const DELETE = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  handler: async ({ caller, params }) => unlinkIdentity(caller as UserCaller, idParams.parse(params).id),
});
