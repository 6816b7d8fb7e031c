// GET /api/v1/account — the signed-in user's security overview: password, two-factor, linked identities, sessions
import { accountOverview } from "@/lib/auth/account";
import type { UserCaller } from "@/lib/auth/caller";
import { ssoProviderList } from "@/lib/auth/options";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "read",
  beforeTwoFactor: true,
  handler: async ({ caller }) => accountOverview(caller as UserCaller, ssoProviderList()),
});
