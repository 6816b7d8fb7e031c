// POST /api/v1/salesforce/connections/:id/pushes/retry — send the failed records again (admin)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { retryPushes } from "@/lib/connectors/salesforce/service";

export const POST = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ params }) => retryPushes(connectorId(params.id)),
});
