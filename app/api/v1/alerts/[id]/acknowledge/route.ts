// POST /api/v1/alerts/{id}/acknowledge — marks an open alert as seen; it clears by itself when its condition ends
import { withRoute } from "@/lib/api/route";
import { NotFoundError } from "@/lib/api/errors";
import { acknowledgeAlert } from "@/lib/alerts/alerts";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, undefined, { id: string }>({
  auth: "either",
  permission: "budgets:write",
  departmentChecked: true,
  handler: ({ caller, params }) => {
    const id = Number(params.id);
    if (!Number.isInteger(id) || id <= 0) throw new NotFoundError(`No alert ${params.id}`);
    return acknowledgeAlert(caller, id);
  },
});
