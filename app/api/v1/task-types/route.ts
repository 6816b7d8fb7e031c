// GET|POST /api/v1/task-types — task types with their human baseline (minutes per task, loaded hourly cost)
import { NextResponse } from "next/server";
import { createTaskType, listTaskTypes } from "@/lib/admin/catalog";
import { taskTypeCreate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async () => ({ items: await listTaskTypes() }) });

export const POST = withRoute({
  auth: "session",
  permission: "baselines:write",
  body: taskTypeCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createTaskType(caller, body), { status: 201 }),
});
