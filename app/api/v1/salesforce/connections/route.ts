// GET/POST /api/v1/salesforce/connections — Salesforce orgs to pull Agentforce consumption from (admin)
import { withRoute } from "@/lib/api/route";
import { SalesforceConnectionCreateSchema } from "@/lib/connectors/salesforce/schemas";
import { createConnection, listConnections } from "@/lib/connectors/salesforce/service";

export const GET = withRoute({
  auth: "session",
  permission: "admin",
  handler: async () => ({ connections: await listConnections() }),
});

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: SalesforceConnectionCreateSchema,
  handler: async ({ caller, body }) => createConnection(caller, body),
});
