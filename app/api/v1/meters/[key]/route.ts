// PATCH /api/v1/meters/{key} — change a meter's name, unit or filters (drafts re-rate at their next run)
import { withRoute } from "@/lib/api/route";
import { meterKeyParams, meterUpdate } from "@/lib/billing/meter-schemas";
import { updateMeter } from "@/lib/billing/meters";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({
  auth: "session",
  permission: "billing:write",
  body: meterUpdate,
  handler: async ({ caller, body, params }) => updateMeter(caller, meterKeyParams.parse(params).key, body),
});
