// GET/PATCH /api/v1/salesforce/connections/:id — one Salesforce connection (admin; delete and run via /connectors/:id)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { SalesforceConnectionUpdateSchema } from "@/lib/connectors/salesforce/schemas";
import { getConnection, updateConnection } from "@/lib/connectors/salesforce/service";

export const GET = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ params }) => getConnection(connectorId(params.id)),
});

export const PATCH = withRoute<undefined, typeof SalesforceConnectionUpdateSchema._output, { id: string }>({
  auth: "session",
  permission: "admin",
  body: SalesforceConnectionUpdateSchema,
  handler: async ({ caller, params, body }) => updateConnection(caller, connectorId(params.id), body),
});
