// DELETE /api/v1/alerts/webhooks/{id} — removes a webhook and its pending deliveries (admin)
import { withRoute } from "@/lib/api/route";
import { NotFoundError } from "@/lib/api/errors";
import { deleteWebhook } from "@/lib/alerts/webhooks";

export const dynamic = "force-dynamic";

export const DELETE = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => {
    const id = Number(params.id);
    if (!Number.isInteger(id) || id <= 0) throw new NotFoundError(`No webhook ${params.id}`);
    await deleteWebhook(caller, id);
    return new Response(null, { status: 204 });
  },
});
