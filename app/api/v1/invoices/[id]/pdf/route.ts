// GET /api/v1/invoices/{id}/pdf — the invoice as a PDF document
import { invoiceDocument } from "@/lib/billing/issuer";
import { withRoute } from "@/lib/api/route";
import { exportFilename } from "@/lib/billing/exports";
import { getInvoice } from "@/lib/billing/queries";
import { idParams } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async ({ caller, params }) => {
    const invoice = await getInvoice(caller, idParams.parse(params).id);
    const pdf = await invoiceDocument(invoice);
    return new Response(new Uint8Array(pdf), {
      headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${exportFilename(invoice, "pdf")}"` },
    });
  },
});
