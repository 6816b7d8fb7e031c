// POST /api/v1/approvals/{id}/approve — a second finance/admin user approves; the action (finalize, re-cost run) then runs
import { approve } from "@/lib/approvals/actions";
import { approvalIdParams } from "@/lib/approvals/schemas";
import { withRoute } from "@/lib/api/route";
import { userCaller } from "@/lib/auth/caller";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  handler: async ({ caller, params }) => approve(userCaller(caller), approvalIdParams.parse(params).id),
});
