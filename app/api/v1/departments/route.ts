// GET /api/v1/departments — the cost-center tree (scoped users: their departments); POST creates a department (admin)
import { withRoute } from "@/lib/api/route";
import { createDepartment, listDepartments } from "@/lib/allocation/departments";
import { departmentCreate } from "@/lib/allocation/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async ({ caller }) => ({ departments: await listDepartments(caller) }),
});

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: departmentCreate,
  handler: async ({ caller, body }) => Response.json(await createDepartment(caller, body), { status: 201 }),
});
