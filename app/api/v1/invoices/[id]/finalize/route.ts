// POST /api/v1/invoices/{id}/finalize — make a draft immutable and give it the next invoice number
import { withRoute } from "@/lib/api/route";
import { finalizeInvoice } from "@/lib/billing/lifecycle";
import { getInvoice } from "@/lib/billing/queries";
import { idParams } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  handler: async ({ params, caller }) => {
    const { id } = idParams.parse(params);
    await finalizeInvoice(id, caller);
    return getInvoice(caller, id);
  },
});
