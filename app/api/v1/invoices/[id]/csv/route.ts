// GET /api/v1/invoices/{id}/csv — the invoice lines and totals as CSV
import { withRoute } from "@/lib/api/route";
import { exportFilename, invoiceCsv } from "@/lib/billing/exports";
import { getInvoice } from "@/lib/billing/queries";
import { idParams } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async ({ caller, params }) => {
    const invoice = await getInvoice(caller, idParams.parse(params).id);
    return new Response(invoiceCsv(invoice), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${exportFilename(invoice, "csv")}"` },
    });
  },
});
