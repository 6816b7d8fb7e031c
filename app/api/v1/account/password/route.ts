// POST /api/v1/account/password — change your own password (current one required); your other sessions end
import { changeOwnPassword } from "@/lib/auth/account";
import type { UserCaller } from "@/lib/auth/caller";
import { passwordChange } from "@/lib/auth/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  body: passwordChange,
  handler: async ({ caller, body }) => changeOwnPassword(caller as UserCaller, body),
});
