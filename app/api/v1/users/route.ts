// GET|POST /api/v1/users — list users; invite (no password: SSO only) or create a user with role and department scope
import { NextResponse } from "next/server";
import { createUser, listUsers } from "@/lib/admin/users";
import { userCreate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "session", permission: "admin", handler: async () => ({ items: await listUsers() }) });

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: userCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createUser(caller, body), { status: 201 }),
});
