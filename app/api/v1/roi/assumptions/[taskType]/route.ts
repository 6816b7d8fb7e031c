// PATCH /api/v1/roi/assumptions/{taskType} — change a task type's human baseline (minutes per task, loaded hourly cost); audited
import { withRoute } from "@/lib/api/route";
import { updateBaseline } from "@/lib/analytics/baselines";
import { baselinePatch } from "@/lib/analytics/schemas";

export const PATCH = withRoute<undefined, { baselineMinutes?: string; loadedHourlyCost?: string }, { taskType: string }>({
  auth: "session",
  permission: "baselines:write",
  body: baselinePatch,
  handler: async ({ caller, body, params }) => updateBaseline(caller, params.taskType, body),
});
