// GET /api/v1/approvals — four-eyes approval requests (newest first), by status and kind
import { listApprovals } from "@/lib/approvals/approvals";
import { approvalListQuery } from "@/lib/approvals/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "billing:write",
  query: approvalListQuery,
  handler: async ({ caller, query }) => ({ approvals: await listApprovals(caller, query) }),
});
