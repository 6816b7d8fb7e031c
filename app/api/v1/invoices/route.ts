// GET /api/v1/invoices — invoices searched, filtered, sorted and paged, with per-currency totals of the filtered set
import { withRoute } from "@/lib/api/route";
import { searchInvoices } from "@/lib/billing/month-end";
import { listQuery, type ListQuery } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute<ListQuery>({
  auth: "either",
  permission: "read",
  query: listQuery,
  handler: async ({ caller, query }) => searchInvoices(caller, query),
});
