// POST /api/v1/roi/assumptions/{taskType}/reset — restore a task type's official baseline to its default (finance, admin; audited)
import { withRoute } from "@/lib/api/route";
import { resetBaseline } from "@/lib/analytics/baselines";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, undefined, { taskType: string }>({
  auth: "session",
  permission: "baselines:write",
  handler: async ({ caller, params }) => resetBaseline(caller, params.taskType),
});
