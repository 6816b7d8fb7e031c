// GET|POST /api/v1/pricing/recost — pending price changes with the re-cost preview; apply them as one recompute run
import { NextResponse } from "next/server";
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { enqueueJob } from "@/lib/jobs";
import { applyRecost, pendingRecost } from "@/lib/pricing/recost";
import { recostApply } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "session", permission: "admin", handler: async () => pendingRecost() });

export const POST = withRoute<undefined, z.output<typeof recostApply>>({
  auth: "session",
  permission: "admin",
  body: recostApply,
  handler: async ({ caller, body }) => {
    const result = await applyRecost(caller, body);
    if (result.runId !== null) await enqueueJob("recompute.run", { runId: result.runId });
    return NextResponse.json(result, { status: 202 });
  },
});
