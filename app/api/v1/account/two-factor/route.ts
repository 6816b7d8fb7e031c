// POST /api/v1/account/two-factor — start two-factor enrolment: a new TOTP secret, its otpauth URI and QR code
import type { UserCaller } from "@/lib/auth/caller";
import { startTwoFactorEnrolment } from "@/lib/auth/two-factor";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  beforeTwoFactor: true,
  handler: async ({ caller }) => startTwoFactorEnrolment(caller as UserCaller),
});
