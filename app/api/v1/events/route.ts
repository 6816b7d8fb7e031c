// POST /api/v1/events — batched, idempotent usage events from agents and their platforms
import { withRoute } from "@/lib/api/route";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { UnauthorizedError } from "@/lib/api/errors";
import { readEvents } from "@/lib/ingest/body";
import { ingestEvents } from "@/lib/ingest/ingest";

export const POST = withRoute({
  auth: "apiKey",
  permission: "ingest",
  bodyLimit: "ingest",
  handler: async ({ req, caller }) => {
    if (caller.kind !== "apiKey") throw new UnauthorizedError();
    await enforceRateLimit(caller);
    return ingestEvents(caller.source, await readEvents(req), caller.policy);
  },
});
