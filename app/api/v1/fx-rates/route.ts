// GET /api/v1/fx-rates — the dated FX rate table, filtered and paged; PUT upserts a batch of rates, all or none (admin)
import { withRoute } from "@/lib/api/route";
import { enqueueJob } from "@/lib/jobs";
import { listFxRates, putFxRates } from "@/lib/currency/admin";
import { fxRateListQuery, fxRatesPut } from "@/lib/currency/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: fxRateListQuery,
  handler: ({ query }) => listFxRates(query),
});

export const PUT = withRoute({
  auth: "session",
  permission: "admin",
  body: fxRatesPut,
  handler: async ({ caller, body }) => {
    const result = await putFxRates(caller, body);
    // The events these rates cover are converted in the background (rollups exact at every commit).
    if (result.conversionRunId !== null) await enqueueJob("recompute.run", { runId: result.conversionRunId });
    return result;
  },
});
