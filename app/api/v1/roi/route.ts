// GET /api/v1/roi — hours saved, value, cost, net, ROI and payback per agent/department/task type, with the assumptions used
import { withRoute } from "@/lib/api/route";
import { roi } from "@/lib/analytics/roi";
import { roiQuery } from "@/lib/analytics/schemas";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  replica: true,
  query: roiQuery,
  handler: async ({ caller, query }) => roi(caller, await orgSettings(), query),
});
