// POST /api/v1/recompute/preview — what a recompute would change (events, cost delta per department and customer), changing nothing
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { previewRun } from "@/lib/recompute/runs";
import { previewBody } from "@/lib/recompute/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, z.output<typeof previewBody>>({
  auth: "session",
  permission: "admin",
  body: previewBody,
  handler: async ({ body }) => previewRun({ kind: body.kind, from: new Date(body.from), to: new Date(body.to), predicate: body.predicate }),
});
