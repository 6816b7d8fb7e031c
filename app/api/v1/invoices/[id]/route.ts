// GET /api/v1/invoices/{id} — one invoice with its lines (the JSON export)
import { withRoute } from "@/lib/api/route";
import { getInvoice } from "@/lib/billing/queries";
import { idParams } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async ({ caller, params }) => getInvoice(caller, idParams.parse(params).id),
});
