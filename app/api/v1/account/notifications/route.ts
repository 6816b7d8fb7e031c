// GET|PUT /api/v1/account/notifications — the signed-in user's own email subscriptions (any role; scoped users: their departments)
import { withRoute } from "@/lib/api/route";
import type { UserCaller } from "@/lib/auth/caller";
import { subscriptionsUpdate } from "@/lib/alerts/schemas";
import { getMySubscriptions, setMySubscriptions } from "@/lib/alerts/subscriptions";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "session", permission: "read", handler: async ({ caller }) => getMySubscriptions(caller as UserCaller) });

// The user's own channel; setMySubscriptions checks every department against the caller's scope.
export const PUT = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  body: subscriptionsUpdate,
  handler: async ({ caller, body }) => setMySubscriptions(caller as UserCaller, body.subscriptions),
});
