// GET /api/v1/jobs — background jobs (queued, running, failed, recently completed) with counts per state (admin)
import { withRoute } from "@/lib/api/route";
import { countJobs, listJobs } from "@/lib/jobs/admin";
import { jobListQuery } from "@/lib/jobs/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "admin",
  query: jobListQuery,
  handler: async ({ query }) => {
    const [items, counts] = await Promise.all([listJobs(query), countJobs()]);
    return { items, counts };
  },
});
