// PATCH /api/v1/views/{id} — owner edits a view (or a reader makes it their landing view); DELETE removes it (owner)
import { idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";
import type { UserCaller } from "@/lib/auth/caller";
import { viewPatch } from "@/lib/views/schemas";
import { deleteView, updateView } from "@/lib/views/views";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  body: viewPatch,
  handler: async ({ caller, params, body }) => updateView(caller as UserCaller, idParams.parse(params).id, body),
});

export const DELETE = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  handler: async ({ caller, params }) => deleteView(caller as UserCaller, idParams.parse(params).id),
});
