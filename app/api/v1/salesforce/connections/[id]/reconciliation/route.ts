// GET /api/v1/salesforce/connections/:id/reconciliation — per month, AgentLedger's Agentforce credits vs the org's consumption totals (finance, admin)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { ReconciliationQuerySchema } from "@/lib/connectors/salesforce/schemas";
import { reconcileConnection } from "@/lib/connectors/salesforce/service";

export const dynamic = "force-dynamic";

export const GET = withRoute<typeof ReconciliationQuerySchema._output, undefined, { id: string }>({
  auth: "session",
  permission: "billing:write",
  query: ReconciliationQuerySchema,
  handler: async ({ caller, params, query }) => reconcileConnection(caller, connectorId(params.id), query),
});
