// GET /api/ready — readiness: the database answers and all shipped migrations are applied (no auth: orchestrators call it)
import { NextResponse } from "next/server";
import { readiness } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

export async function GET() {
  const result = await readiness();
  return result.ready
    ? NextResponse.json({ status: "ready" })
    : NextResponse.json({ status: "not_ready", reason: result.reason }, { status: 503 });
}
