// POST /api/v1/account/sign-out-everywhere — end every session of yours, this browser's included
import { signOutEverywhere } from "@/lib/auth/account";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "read",
  beforeTwoFactor: true,
  handler: async ({ caller }) => signOutEverywhere(caller, caller.id),
});
