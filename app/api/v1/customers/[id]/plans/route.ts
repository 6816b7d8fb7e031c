// POST /api/v1/customers/:id/plans — put the customer on a price plan from a date (closes the open assignment)
import { NextResponse } from "next/server";
import { assignPlan } from "@/lib/admin/customers";
import { customerPlanAssign, idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  body: customerPlanAssign,
  handler: async ({ caller, body, params }) =>
    NextResponse.json(await assignPlan(caller, idParams.parse(params).id, body), { status: 201 }),
});
