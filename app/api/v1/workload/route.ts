// GET /api/v1/workload — tasks done by agents vs humans, handle time, cost per task, escalations; per group and over time
import { withRoute } from "@/lib/api/route";
import { workloadQuery } from "@/lib/analytics/schemas";
import { workload } from "@/lib/analytics/workload";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  replica: true,
  query: workloadQuery,
  handler: async ({ caller, query }) => workload(caller, await orgSettings(), query),
});
