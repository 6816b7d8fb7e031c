// GET /api/v1/overview — spend and events for a period vs the previous one, top departments and agents, daily spend, month-end forecast, top movers
import { withRoute } from "@/lib/api/route";
import { overview } from "@/lib/analytics/overview";
import type { OverviewResponse } from "@/lib/analytics/overview-schemas";
import { rangeQuery, resolveRange, todayIn } from "@/lib/analytics/period";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  replica: true,
  query: rangeQuery,
  handler: async ({ caller, query }): Promise<OverviewResponse> => {
    const org = await orgSettings();
    const result = await overview(caller, resolveRange(query, org.timeZone), todayIn(org.timeZone));
    return { currency: org.currency, timeZone: org.timeZone, ...result };
  },
});
