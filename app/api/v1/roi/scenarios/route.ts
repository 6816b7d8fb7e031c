// GET /api/v1/roi/scenarios — the caller's ROI scenarios; POST saves a named what-if (private until shared)
import { withRoute } from "@/lib/api/route";
import { scenarioCreate } from "@/lib/analytics/scenario-schemas";
import { createScenario, listScenarios } from "@/lib/analytics/scenarios";
import { userCaller } from "@/lib/auth/caller";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "read",
  handler: async ({ caller }) => ({ scenarios: await listScenarios(userCaller(caller)) }),
});

export const POST = withRoute({
  auth: "session",
  permission: "read",
  // The caller's own scenario: touches no department's data.
  departmentChecked: true,
  body: scenarioCreate,
  handler: async ({ caller, body }) => Response.json(await createScenario(userCaller(caller), body), { status: 201 }),
});
