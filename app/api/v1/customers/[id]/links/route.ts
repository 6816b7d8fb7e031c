// GET|POST /api/v1/customers/:id/links — the customer's read-only view links; create one (its token is shown once)
import { NextResponse } from "next/server";
import { idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";
import { createCustomerLink, listCustomerLinks } from "@/lib/billing/customer-links";
import { customerLinkCreate } from "@/lib/billing/customer-link-schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "billing:write",
  handler: async ({ caller, params }) => listCustomerLinks(caller, idParams.parse(params).id),
});

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  body: customerLinkCreate,
  handler: async ({ caller, params, body }) => NextResponse.json(await createCustomerLink(caller, idParams.parse(params).id, body), { status: 201 }),
});
