// POST /api/v1/pricing/simulations — re-rate a past month's usage under a candidate rate card (nothing is written); JSON or CSV (per customer or per line)
import { withRoute } from "@/lib/api/route";
import { simulatePricing, simulationCsv, simulationLinesCsv } from "@/lib/billing/simulate";
import { simulationQuery, simulationRequest } from "@/lib/billing/simulation-schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  query: simulationQuery,
  body: simulationRequest,
  handler: async ({ req, caller, query, body }) => {
    const result = await simulatePricing(caller, body);
    if (query.format !== "csv" && !req.headers.get("accept")?.includes("text/csv")) return result;
    const lines = query.detail === "lines";
    return new Response(lines ? simulationLinesCsv(result) : simulationCsv(result), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="pricing-simulation-${result.period}${lines ? "-lines" : ""}.csv"` },
    });
  },
});
