// GET /api/v1/roi/scenarios/shared/{token} — a shared scenario, read-only, for anyone signed in who can read ROI
import { withRoute } from "@/lib/api/route";
import { sharedScenario } from "@/lib/analytics/scenarios";

export const dynamic = "force-dynamic";

export const GET = withRoute<undefined, undefined, { token: string }>({
  auth: "session",
  permission: "read",
  handler: async ({ caller, params }) => sharedScenario(caller, params.token),
});
