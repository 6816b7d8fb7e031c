// DELETE /api/v1/allocation-rules/{id} — removes a rule version that starts in the current month or later (admin)
import { withRoute } from "@/lib/api/route";
import { deleteRule } from "@/lib/allocation/rule-admin";
import { NotFoundError } from "@/lib/api/errors";

export const dynamic = "force-dynamic";

export const DELETE = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  departmentChecked: true,
  handler: async ({ caller, params }) => {
    const id = Number(params.id);
    if (!Number.isInteger(id) || id <= 0) throw new NotFoundError(`No allocation rule ${params.id}`);
    await deleteRule(caller, id);
    return new Response(null, { status: 204 });
  },
});
