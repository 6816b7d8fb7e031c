// POST /api/v1/salesforce/connections/:id/test — authenticate, describe the object, check the mapping (admin)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { testConnection } from "@/lib/connectors/salesforce/service";

export const POST = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ params }) => testConnection(connectorId(params.id)),
});
