// POST /api/v1/invoices/bulk-finalize — finalize selected drafts (or a period's drafts matching filters) in order; dryRun for the summary
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { userCaller } from "@/lib/auth/caller";
import { bulkFinalize } from "@/lib/billing/month-end";
import { bulkFinalizeRequest } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, z.output<typeof bulkFinalizeRequest>>({
  auth: "session",
  permission: "billing:write",
  body: bulkFinalizeRequest,
  handler: async ({ caller, body }) => bulkFinalize(userCaller(caller), body),
});
