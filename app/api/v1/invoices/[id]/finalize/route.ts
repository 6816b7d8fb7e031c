// POST /api/v1/invoices/{id}/finalize — make a draft immutable and give it the next invoice number (or request four-eyes approval)
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/api/route";
import { userCaller } from "@/lib/auth/caller";
import { finalizeOrRequestApproval } from "@/lib/billing/month-end";
import { getInvoice } from "@/lib/billing/queries";
import { idParams } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  handler: async ({ params, caller }) => {
    const { id } = idParams.parse(params);
    const outcome = await finalizeOrRequestApproval(id, userCaller(caller));
    return NextResponse.json(await getInvoice(caller, id), { status: outcome.finalized ? 200 : 202 });
  },
});
