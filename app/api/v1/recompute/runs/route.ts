// GET|POST /api/v1/recompute/runs — recompute runs (newest first); start one (audited, runs as a job, in batches; four-eyes approval above the threshold)
import { NextResponse } from "next/server";
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { userCaller } from "@/lib/auth/caller";
import { listRecomputeRuns } from "@/lib/recompute/runs";
import { startOrRequestApproval } from "@/lib/recompute/start";
import { startBody } from "@/lib/recompute/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "session", permission: "admin", handler: async () => ({ items: await listRecomputeRuns() }) });

export const POST = withRoute<undefined, z.output<typeof startBody>>({
  auth: "session",
  permission: "admin",
  body: startBody,
  handler: async ({ caller, body }) => {
    const started = await startOrRequestApproval(userCaller(caller), {
      kind: body.kind,
      from: new Date(body.from),
      to: new Date(body.to),
      predicate: body.predicate,
      reason: body.reason,
      batchSize: body.batchSize,
    });
    return NextResponse.json(started, { status: 202 });
  },
});
