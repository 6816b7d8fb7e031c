// POST /api/v1/connectors/:id/run — run a connector now and return the finished run (admin)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { runConnectorNow } from "@/lib/connectors/service";

export const POST = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ params }) => runConnectorNow(connectorId(params.id)),
});
