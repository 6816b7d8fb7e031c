// GET /api/v1/usage — cost/quantity/events time series, grouped (top N + other) and filtered, vs the previous period; optionally in a display currency
import { withRoute } from "@/lib/api/route";
import { usageQuery } from "@/lib/analytics/schemas";
import { usage } from "@/lib/analytics/usage";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  replica: true,
  query: usageQuery,
  handler: async ({ caller, query }) => usage(caller, await orgSettings(), query),
});
