// GET/PATCH/DELETE /api/v1/connectors/:id — one connector's settings and last run (admin)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { ConnectorUpdateSchema, type ConnectorUpdate } from "@/lib/connectors/schemas";
import { deleteConnector, getConnector, updateConnector } from "@/lib/connectors/service";

export const GET = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ params }) => getConnector(connectorId(params.id)),
});

export const PATCH = withRoute<undefined, ConnectorUpdate, { id: string }>({
  auth: "session",
  permission: "admin",
  body: ConnectorUpdateSchema,
  handler: async ({ caller, body, params }) => updateConnector(caller, connectorId(params.id), body),
});

export const DELETE = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => {
    await deleteConnector(caller, connectorId(params.id));
    return { deleted: true };
  },
});
