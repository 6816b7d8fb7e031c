// GET /api/v1/invoices/{id}/sends — the invoice's sent log, newest first
import { withRoute } from "@/lib/api/route";
import { idParams } from "@/lib/billing/schemas";
import { listSends } from "@/lib/billing/send";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async ({ caller, params }) => ({ sends: await listSends(caller, idParams.parse(params).id) }),
});
