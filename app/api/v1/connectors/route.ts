// GET/POST /api/v1/connectors — provider usage/cost pull connectors (admin)
import { withRoute } from "@/lib/api/route";
import { ConnectorCreateSchema } from "@/lib/connectors/schemas";
import { createConnector, listConnectors } from "@/lib/connectors/service";

export const GET = withRoute({
  auth: "session",
  permission: "admin",
  handler: async () => ({ connectors: await listConnectors() }),
});

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: ConnectorCreateSchema,
  handler: async ({ caller, body }) => createConnector(caller, body),
});
