// GET /api/v1/allocation?period=YYYY-MM&currency=XXX — per department direct, allocated, total, budget, % used and forecast; unallocated cost; optionally in a display currency
import { withRoute } from "@/lib/api/route";
import { allocationReport } from "@/lib/allocation/report";
import { periodQuery } from "@/lib/allocation/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  replica: true,
  query: periodQuery,
  handler: ({ caller, query }) => allocationReport(caller, query.period, new Date(), query.currency),
});
