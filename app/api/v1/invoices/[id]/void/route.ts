// POST /api/v1/invoices/{id}/void — void a draft or finalized invoice, with a reason
import { withRoute } from "@/lib/api/route";
import { voidInvoice } from "@/lib/billing/lifecycle";
import { getInvoice } from "@/lib/billing/queries";
import { idParams, voidRequest } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  body: voidRequest,
  handler: async ({ params, body, caller }) => {
    const { id } = idParams.parse(params);
    await voidInvoice(id, body.reason, caller);
    return getInvoice(caller, id);
  },
});
