// PATCH /api/v1/rate-cards/{id} — change a version's name, minimum spend, tax-inclusive pricing or start (409 once it priced a finalized invoice)
import { withRoute } from "@/lib/api/route";
import { rateCardParams, rateCardUpdate } from "@/lib/billing/rate-card-schemas";
import { updateRateCard } from "@/lib/billing/rate-cards";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({
  auth: "session",
  permission: "billing:write",
  body: rateCardUpdate,
  handler: async ({ caller, body, params }) => updateRateCard(caller, rateCardParams.parse(params).id, body),
});
