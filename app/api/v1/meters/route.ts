// GET|POST /api/v1/meters — meters (usage events or outcomes: tasks by type, handler, agent and status); create one
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/api/route";
import { meterCreate } from "@/lib/billing/meter-schemas";
import { createMeter, listMeters } from "@/lib/billing/meters";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async ({ caller }) => ({ items: await listMeters(caller) }) });

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  body: meterCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createMeter(caller, body), { status: 201 }),
});
