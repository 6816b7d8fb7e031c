// GET|POST /api/v1/pricing/aliases — other names for a model (e.g. an Azure deployment), resolved before price rules
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/api/route";
import { createAlias, listAliases } from "@/lib/pricing/admin";
import { aliasCreate } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async () => ({ items: await listAliases() }) });

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: aliasCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createAlias(caller, body), { status: 201 }),
});
