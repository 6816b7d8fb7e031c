// GET /api/v1/allocation-rules/share-impact?agent=KEY — the months whose chargeback would change if the agent were marked shared
import { withRoute } from "@/lib/api/route";
import { shareImpact } from "@/lib/allocation/preview";
import { shareImpactQuery } from "@/lib/allocation/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "read",
  query: shareImpactQuery,
  handler: ({ caller, query }) => shareImpact(caller, query.agent),
});
