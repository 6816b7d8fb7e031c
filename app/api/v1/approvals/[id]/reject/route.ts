// POST /api/v1/approvals/{id}/reject — a second finance/admin user rejects the request, with a reason
import type { z } from "zod";
import { reject } from "@/lib/approvals/actions";
import { approvalIdParams, rejectRequest } from "@/lib/approvals/schemas";
import { withRoute } from "@/lib/api/route";
import { userCaller } from "@/lib/auth/caller";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, z.output<typeof rejectRequest>>({
  auth: "session",
  permission: "billing:write",
  body: rejectRequest,
  handler: async ({ caller, params, body }) => reject(userCaller(caller), approvalIdParams.parse(params).id, body.reason),
});
