// GET /api/v1/exports/focus?period=YYYY-MM[&version=1.3|1.2] — the month's AI cost in the FinOps FOCUS layout, as CSV (department-scoped)
import { withRoute } from "@/lib/api/route";
import { focusCsv } from "@/lib/billing/focus";
import { focusQuery } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: focusQuery,
  handler: async ({ caller, query }) =>
    new Response(await focusCsv(caller, query.period, query.version), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="focus-${query.version}-${query.period}.csv"` },
    }),
});
