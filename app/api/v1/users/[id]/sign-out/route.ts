// POST /api/v1/users/:id/sign-out — end every session of a user at once (admin)
import { idParams } from "@/lib/admin/schemas";
import { signOutEverywhere } from "@/lib/auth/account";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => signOutEverywhere(caller, idParams.parse(params).id),
});
