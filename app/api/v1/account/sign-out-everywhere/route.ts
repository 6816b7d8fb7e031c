// POST /api/v1/account/sign-out-everywhere — end every other session of yours, or this browser's too
import { signOutEverywhere } from "@/lib/auth/account";
import type { UserCaller } from "@/lib/auth/caller";
import { signOutEverywhereBody } from "@/lib/auth/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  beforeTwoFactor: true,
  body: signOutEverywhereBody,
  handler: async ({ caller, body }) =>
    signOutEverywhere(caller, caller.id, body.includeThisSession ? null : ((caller as UserCaller).sessionId ?? null)),
});
