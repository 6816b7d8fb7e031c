// GET /api/v1/alerts?status=open|acknowledged|cleared&period=YYYY-MM — budget, forecast and anomaly alerts, newest first
import { withRoute } from "@/lib/api/route";
import { listAlerts } from "@/lib/alerts/alerts";
import { alertListQuery } from "@/lib/alerts/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: alertListQuery,
  handler: async ({ caller, query }) => ({ alerts: await listAlerts(caller, query.status, query.limit, query.period) }),
});
