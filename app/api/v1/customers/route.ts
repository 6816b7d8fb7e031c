// GET|POST /api/v1/customers — billable accounts with their plan history; create one
import { NextResponse } from "next/server";
import { createCustomer, listCustomers } from "@/lib/admin/customers";
import { customerCreate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async ({ caller }) => ({ items: await listCustomers(caller) }) });

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  body: customerCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createCustomer(caller, body), { status: 201 }),
});
