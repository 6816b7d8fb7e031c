// GET|PUT /api/v1/alerts/webhooks/{id}/subscriptions — which notification kinds and departments a channel receives (admin)
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { NotFoundError } from "@/lib/api/errors";
import { subscriptionsUpdate } from "@/lib/alerts/schemas";
import { getChannelSubscriptions, setChannelSubscriptions } from "@/lib/alerts/subscriptions";

export const dynamic = "force-dynamic";

function channelId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new NotFoundError(`No channel ${raw}`);
  return id;
}

export const GET = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ params }) => getChannelSubscriptions(channelId(params.id)),
});

export const PUT = withRoute<undefined, z.infer<typeof subscriptionsUpdate>, { id: string }>({
  auth: "session",
  permission: "admin",
  body: subscriptionsUpdate,
  handler: async ({ caller, body, params }) => setChannelSubscriptions(caller, channelId(params.id), body.subscriptions),
});
