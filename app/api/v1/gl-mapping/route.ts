// GET /api/v1/gl-mapping — departments' GL accounts and cost-center codes and the offset account; PUT changes them (admin)
import { withRoute } from "@/lib/api/route";
import { glMapping, updateGlMapping } from "@/lib/allocation/gl";
import { glMappingUpdate } from "@/lib/allocation/schemas";
import { assertOrganizationWide } from "@/lib/auth/scope";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "budgets:write",
  handler: ({ caller }) => {
    assertOrganizationWide(caller, "GL accounts");
    return glMapping();
  },
});

export const PUT = withRoute({
  auth: "session",
  permission: "admin",
  body: glMappingUpdate,
  handler: ({ caller, body }) => updateGlMapping(caller, body),
});
