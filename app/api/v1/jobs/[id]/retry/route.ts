// POST /api/v1/jobs/:id/retry — put a failed job back in the queue for one more attempt, audited (admin)
import { withRoute } from "@/lib/api/route";
import { retryJob } from "@/lib/jobs/admin";
import { jobIdPath } from "@/lib/jobs/schemas";
import { NotFoundError } from "@/lib/api/errors";

export const POST = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => {
    if (!jobIdPath.safeParse(params).success) throw new NotFoundError(`No job ${params.id}`);
    return retryJob(caller, params.id);
  },
});
