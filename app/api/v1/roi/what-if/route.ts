// POST /api/v1/roi/what-if?from=&to=&groupBy=… — the ROI of the same query with what-if baselines (nothing is saved)
import { withRoute } from "@/lib/api/route";
import { roi } from "@/lib/analytics/roi";
import { whatIfBody } from "@/lib/analytics/scenario-schemas";
import { checkTaskTypes } from "@/lib/analytics/scenarios";
import { roiQuery } from "@/lib/analytics/schemas";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "either",
  permission: "read",
  // Changes nothing; the figures are limited to the caller's departments like GET /api/v1/roi.
  departmentChecked: true,
  query: roiQuery,
  body: whatIfBody,
  handler: async ({ caller, query, body }) => {
    await checkTaskTypes(body.baselines);
    return roi(caller, await orgSettings(), query, body.baselines);
  },
});
