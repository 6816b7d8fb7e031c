// GET|POST /api/v1/pricing/discounts — negotiated percent off catalog prices, per provider or per model
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/api/route";
import { createDiscount, listDiscounts } from "@/lib/pricing/admin";
import { discountCreate } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async () => ({ items: await listDiscounts() }) });

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: discountCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createDiscount(caller, body), { status: 201 }),
});
