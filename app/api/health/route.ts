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
    // Prisma messages start with a newline and name the server: a fixed reason, never empty, reveals nothing.
    const reason = error instanceof Error && error.message.startsWith("timed out") ? `database check ${error.message}` : "database unreachable";
    return NextResponse.json({ status: "degraded", db: "unavailable", reason }, { status: 503 });
  }
}
