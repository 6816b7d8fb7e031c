// GET|PATCH /api/v1/customers/:id — one customer with its plan history; rename or link to a Salesforce account
import { getCustomer, updateCustomer } from "@/lib/admin/customers";
import { customerUpdate, idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async ({ caller, params }) => getCustomer(caller, idParams.parse(params).id) });

export const PATCH = withRoute({
  auth: "session",
  permission: "billing:write",
  body: customerUpdate,
  handler: async ({ caller, body, params }) => updateCustomer(caller, idParams.parse(params).id, body),
});
