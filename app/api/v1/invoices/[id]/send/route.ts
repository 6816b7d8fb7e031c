// POST /api/v1/invoices/{id}/send — email a finalized invoice with its PDF to its customer's billing email (sent log)
import { withRoute } from "@/lib/api/route";
import { userCaller } from "@/lib/auth/caller";
import { idParams } from "@/lib/billing/schemas";
import { sendInvoice } from "@/lib/billing/send";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  handler: async ({ caller, params }) => sendInvoice(userCaller(caller), idParams.parse(params).id),
});
