// GET|POST /api/v1/api-keys — list keys with last use; create a key (the secret is in this response only)
import { NextResponse } from "next/server";
import { createApiKeyAudited, listApiKeys } from "@/lib/admin/api-keys";
import { apiKeyCreate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "session", permission: "admin", handler: async () => ({ items: await listApiKeys() }) });

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: apiKeyCreate,
  handler: async ({ caller, body }) =>
    NextResponse.json(await createApiKeyAudited(caller, body), { status: 201, headers: { "cache-control": "no-store" } }),
});
