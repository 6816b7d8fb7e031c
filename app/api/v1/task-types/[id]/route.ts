// PATCH /api/v1/task-types/:id — change a task type's name or human baseline
import { updateTaskType } from "@/lib/admin/catalog";
import { idParams, taskTypeUpdate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({
  auth: "session",
  permission: "baselines:write",
  body: taskTypeUpdate,
  handler: async ({ caller, body, params }) => updateTaskType(caller, idParams.parse(params).id, body),
});
