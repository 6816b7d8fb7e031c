// GET /api/v1/overview — spend and events for a period vs the previous one, top departments and agents, daily spend, month-end forecast, top movers; optionally in a display currency
import { withRoute } from "@/lib/api/route";
import { overview } from "@/lib/analytics/overview";
import { overviewQuery, type OverviewResponse } from "@/lib/analytics/overview-schemas";
import { daysOf, previousRange, resolveRange, todayIn } from "@/lib/analytics/period";
import { displayFx } from "@/lib/currency/display";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  replica: true,
  query: overviewQuery,
  handler: async ({ caller, query }): Promise<OverviewResponse> => {
    const org = await orgSettings();
    const range = resolveRange(query, org.timeZone);
    const fx = await displayFx(org.currency, query.currency, [...daysOf(previousRange(range)), ...daysOf(range)]);
    const result = await overview(caller, range, todayIn(org.timeZone), fx);
    return { currency: fx?.to ?? org.currency, timeZone: org.timeZone, ...result };
  },
});
