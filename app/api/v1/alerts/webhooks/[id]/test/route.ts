// POST /api/v1/alerts/webhooks/{id}/test — sends a signed test event to the channel now and returns the logged delivery (admin)
import { withRoute } from "@/lib/api/route";
import { alertIdParams } from "@/lib/alerts/schemas";
import { sendTestDelivery } from "@/lib/alerts/webhooks";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => sendTestDelivery(caller, alertIdParams.parse(params).id),
});
