// GET /api/v1/recompute/runs/{id} — one recompute run: status, progress, cost delta per department and customer
import { BadRequestError } from "@/lib/api/errors";
import { withRoute } from "@/lib/api/route";
import { getRecomputeRun } from "@/lib/recompute/runs";
import { runIdParam } from "@/lib/recompute/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ params }) => {
    const id = runIdParam.safeParse(params.id);
    if (!id.success) throw new BadRequestError("Invalid path", [{ path: "id", message: id.error.issues[0]!.message }]);
    return getRecomputeRun(Number(id.data));
  },
});
