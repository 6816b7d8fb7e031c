// GET /api/v1/invoices — invoices filtered by period, status and customer key
import { withRoute } from "@/lib/api/route";
import { listInvoices } from "@/lib/billing/queries";
import { listQuery } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: listQuery,
  handler: async ({ caller, query }) => ({ invoices: await listInvoices(caller, query) }),
});
