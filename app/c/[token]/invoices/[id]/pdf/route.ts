// GET /c/:token/invoices/:id/pdf — a finalized invoice of the link's customer as PDF (the link is the credential; 404 for anything else)
import { invoiceDocument } from "@/lib/billing/issuer";
import { NextResponse, type NextRequest } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { enforcePublicRateLimit } from "@/lib/api/rate-limit";
import { errorResponse, requestIdOf, toApiError } from "@/lib/api/route";
import { clientAddress } from "@/lib/auth/client-address";
import { customerLinkInvoice } from "@/lib/billing/customer-links";
import { exportFilename } from "@/lib/billing/exports";
import { idParams } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest, context: { params: Promise<{ token: string; id: string }> }) {
  const requestId = requestIdOf(req);
  try {
    await enforcePublicRateLimit(clientAddress(req.headers));
    const { token, id } = await context.params;
    const parsed = idParams.safeParse({ id });
    const invoice = parsed.success ? await customerLinkInvoice(token, parsed.data.id) : null;
    if (!invoice) throw new NotFoundError();
    const pdf = await invoiceDocument(invoice);
    return new NextResponse(new Uint8Array(pdf), {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="${exportFilename(invoice, "pdf")}"`,
        "cache-control": "private, no-store",
        "referrer-policy": "no-referrer",
        "x-request-id": requestId,
      },
    });
  } catch (error) {
    return errorResponse(toApiError(error, requestId, "GET /c/[token]/invoices/[id]/pdf"), requestId);
  }
}
