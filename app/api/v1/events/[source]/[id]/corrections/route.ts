// POST /api/v1/events/{source}/{id}/corrections — reverse or correct a stored event (new linked events; idempotent)
import { NextResponse } from "next/server";
import type { z } from "zod";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { withRoute } from "@/lib/api/route";
import { correctEvent } from "@/lib/corrections/corrections";
import { CorrectionRequestSchema } from "@/lib/corrections/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, z.output<typeof CorrectionRequestSchema>, { source: string; id: string }>({
  auth: "either",
  // An API key corrects the events of its own source under its ingestion policy; an admin corrects any event.
  permission: { apiKey: "ingest", user: "admin" },
  body: CorrectionRequestSchema,
  handler: async ({ caller, body, params }) => {
    if (caller.kind === "apiKey") await enforceRateLimit(caller);
    const result = await correctEvent(caller, params.source, params.id, body);
    return NextResponse.json(result, { status: result.replayed ? 200 : 201 });
  },
});
