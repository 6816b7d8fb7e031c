// DELETE /api/v1/alerts/webhooks/{id} — removes a channel and its pending deliveries; PATCH pauses or resumes it (admin)
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { NotFoundError } from "@/lib/api/errors";
import { channelUpdate } from "@/lib/alerts/schemas";
import { deleteWebhook, setWebhookActive } from "@/lib/alerts/webhooks";

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

export const PATCH = withRoute<undefined, z.infer<typeof channelUpdate>, { id: string }>({
  auth: "session",
  permission: "admin",
  body: channelUpdate,
  handler: async ({ caller, body, params }) => {
    const id = Number(params.id);
    if (!Number.isInteger(id) || id <= 0) throw new NotFoundError(`No channel ${params.id}`);
    return setWebhookActive(caller, id, body.active);
  },
});
