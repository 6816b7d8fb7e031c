// POST /api/v1/retention/runs — run raw event retention now (queues the daily job; audited)
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/api/route";
import { requestRetentionRun } from "@/lib/retention/admin";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ caller }) => NextResponse.json(await requestRetentionRun(caller), { status: 202 }),
});
