// GET|POST /api/v1/agents — list agents (department-scoped callers see their departments' agents); create one
import { NextResponse } from "next/server";
import { createAgent, listAgents } from "@/lib/admin/catalog";
import { agentCreate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async ({ caller }) => ({ items: await listAgents(caller) }) });

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  departmentChecked: true,
  body: agentCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createAgent(caller, body), { status: 201 }),
});
