// GET|PUT /api/v1/approvals/settings — four-eyes approval: on/off and the amount threshold (organization currency)
import type { z } from "zod";
import { fourEyesSettings, updateFourEyesSettings } from "@/lib/approvals/approvals";
import { fourEyesUpdate } from "@/lib/approvals/schemas";
import { withRoute } from "@/lib/api/route";
import { userCaller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "billing:write",
  handler: async ({ caller }) => {
    assertOrganizationWide(caller, "Approval settings");
    return fourEyesSettings();
  },
});

export const PUT = withRoute<undefined, z.output<typeof fourEyesUpdate>>({
  auth: "session",
  permission: "admin",
  body: fourEyesUpdate,
  handler: async ({ caller, body }) => updateFourEyesSettings(userCaller(caller), body),
});
