// PATCH /api/v1/rate-cards/{id}/charges/{chargeId} — change one charge of a version (409 once it priced a finalized invoice)
import { withRoute } from "@/lib/api/route";
import { chargeParams, chargeUpdate } from "@/lib/billing/rate-card-schemas";
import { updateCharge } from "@/lib/billing/rate-cards";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({
  auth: "session",
  permission: "billing:write",
  body: chargeUpdate,
  handler: async ({ caller, body, params }) => {
    const { id, chargeId } = chargeParams.parse(params);
    return updateCharge(caller, id, chargeId, body);
  },
});
