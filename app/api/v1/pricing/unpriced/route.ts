// GET /api/v1/pricing/unpriced — models whose events carry tokens but no price (cost unknown), with events and tokens
import { withRoute } from "@/lib/api/route";
import { rangeQuery, resolveRange } from "@/lib/analytics/period";
import { orgSettings } from "@/lib/org";
import { unpricedModels } from "@/lib/pricing/unpriced";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: rangeQuery,
  handler: async ({ caller, query }) => unpricedModels(caller, resolveRange(query, (await orgSettings()).timeZone)),
});
