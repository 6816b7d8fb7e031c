// GET /api/health — liveness and database reachability (no auth: load balancers call it)
import { NextResponse } from "next/server";
import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timed out after 2 s")), 2000)),
    ]);
    return NextResponse.json({ status: "ok", db: "ok" });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "unreachable";
    return NextResponse.json({ status: "degraded", db: "unavailable", reason }, { status: 503 });
  }
}
