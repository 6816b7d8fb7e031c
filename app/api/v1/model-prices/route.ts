// GET|POST /api/v1/model-prices — model list prices per million tokens by token class, with effective dates
import { NextResponse } from "next/server";
import { createModelPrice, listModelPrices } from "@/lib/admin/catalog";
import { modelPriceCreate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async () => ({ items: await listModelPrices() }) });

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: modelPriceCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createModelPrice(caller, body), { status: 201 }),
});
