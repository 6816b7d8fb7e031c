// GET|POST /api/v1/model-prices — the organization's own model prices (custom models, overrides; ?source=catalog for the catalog's) per million tokens, with effective dates
import { NextResponse } from "next/server";
import { createModelPrice, listModelPrices } from "@/lib/admin/catalog";
import { modelPriceCreate, modelPriceListQuery } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: modelPriceListQuery,
  handler: async ({ query }) => ({ items: await listModelPrices(query.source) }),
});

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: modelPriceCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createModelPrice(caller, body), { status: 201 }),
});
