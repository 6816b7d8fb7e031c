// GET /api/v1/salesforce/connections/:id/pushes — push log: each invoice/usage-summary record and its result (admin)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { listPushes } from "@/lib/connectors/salesforce/service";

export const GET = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ params }) => ({ pushes: await listPushes(connectorId(params.id)) }),
});
