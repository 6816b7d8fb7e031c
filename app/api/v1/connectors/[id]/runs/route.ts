// GET /api/v1/connectors/:id/runs — recent runs: status, pages, rows imported, errors (admin)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { listRuns } from "@/lib/connectors/service";

export const GET = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ params }) => ({ runs: await listRuns(connectorId(params.id)) }),
});
