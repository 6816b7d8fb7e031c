// GET /api/v1/alerts/deliveries?channel=&limit= — the notification delivery log, newest first (admin)
import { withRoute } from "@/lib/api/route";
import { deliveryListQuery } from "@/lib/alerts/schemas";
import { listDeliveries } from "@/lib/alerts/webhooks";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "admin",
  query: deliveryListQuery,
  handler: async ({ query }) => ({ deliveries: await listDeliveries(query.channel, query.limit) }),
});
