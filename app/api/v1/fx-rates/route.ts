// GET /api/v1/fx-rates — the dated FX rate table, filtered and paged; PUT upserts a batch of rates, all or none (admin)
import { withRoute } from "@/lib/api/route";
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
  handler: ({ caller, body }) => putFxRates(caller, body),
});
