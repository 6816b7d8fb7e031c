// POST /api/v1/invoices/{id}/adjustments — add a credit note, discount or extra charge to a draft
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/api/route";
import { addAdjustment } from "@/lib/billing/lifecycle";
import { getInvoice } from "@/lib/billing/queries";
import { adjustmentRequest, idParams } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  body: adjustmentRequest,
  handler: async ({ params, body, caller }) => {
    const { id } = idParams.parse(params);
    await addAdjustment(id, body, caller);
    return NextResponse.json(await getInvoice(caller, id), { status: 201 });
  },
});
