// GET /api/v1/alerts/webhooks — alert webhooks; POST adds one and returns its signing secret once (admin)
import { withRoute } from "@/lib/api/route";
import { webhookCreate } from "@/lib/alerts/schemas";
import { createWebhook, listWebhooks } from "@/lib/alerts/webhooks";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "admin",
  handler: async () => ({ webhooks: await listWebhooks() }),
});

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: webhookCreate,
  handler: async ({ caller, body }) => Response.json(await createWebhook(caller, body), { status: 201 }),
});
