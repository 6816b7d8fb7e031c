// GET|POST /api/v1/tax-rates — effective-dated tax rates by jurisdiction (country, optional region) and tax category
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/api/route";
import { taxRateCreate } from "@/lib/billing/tax-schemas";
import { createTaxRate, listTaxRates } from "@/lib/billing/tax-store";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async () => ({ items: await listTaxRates() }) });

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: taxRateCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createTaxRate(caller, body), { status: 201 }),
});
