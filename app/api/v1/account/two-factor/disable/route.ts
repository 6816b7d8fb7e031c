// POST /api/v1/account/two-factor/disable — turn two-factor off with your password and a current or recovery code
import type { UserCaller } from "@/lib/auth/caller";
import { twoFactorDisable } from "@/lib/auth/schemas";
import { disableTwoFactor } from "@/lib/auth/two-factor";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  body: twoFactorDisable,
  handler: async ({ caller, body }) => disableTwoFactor(caller as UserCaller, body),
});
