// POST /api/v1/invoices/drafts — generate (or regenerate) draft invoices for every customer for a month
import { withRoute } from "@/lib/api/route";
import { generateDrafts } from "@/lib/billing/generate";
import { draftsRequest } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  body: draftsRequest,
  handler: async ({ body, caller }) => generateDrafts(body.period, caller),
});
