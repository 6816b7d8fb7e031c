// POST /api/v1/salesforce/connections/:id/usage-summaries — push one month's usage per linked account now (admin)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { UsageSummaryPushSchema } from "@/lib/connectors/salesforce/schemas";
import { pushUsageSummaries } from "@/lib/connectors/salesforce/service";

export const POST = withRoute<undefined, typeof UsageSummaryPushSchema._output, { id: string }>({
  auth: "session",
  permission: "admin",
  body: UsageSummaryPushSchema,
  handler: async ({ params, body }) => pushUsageSummaries(connectorId(params.id), body.period),
});
