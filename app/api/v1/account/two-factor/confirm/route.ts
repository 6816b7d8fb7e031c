// POST /api/v1/account/two-factor/confirm — turn two-factor on with a first code; returns recovery codes, shown once
import type { UserCaller } from "@/lib/auth/caller";
import { twoFactorConfirm } from "@/lib/auth/schemas";
import { confirmTwoFactor } from "@/lib/auth/two-factor";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  beforeTwoFactor: true,
  body: twoFactorConfirm,
  handler: async ({ caller, body }) => confirmTwoFactor(caller as UserCaller, body.code),
});
