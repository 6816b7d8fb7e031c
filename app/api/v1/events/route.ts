// POST /api/v1/events — batched, idempotent usage events from agents and their platforms; GET lists them (events explorer)
import { exploreEvents } from "@/lib/analytics/events";
import { eventsQuery } from "@/lib/analytics/schemas";
import { withRoute } from "@/lib/api/route";
import { admitIngestion } from "@/lib/ingest/admission";
import { UnauthorizedError } from "@/lib/api/errors";
import { readEvents } from "@/lib/ingest/body";
import { ingestEvents } from "@/lib/ingest/ingest";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

/** The raw events behind any dashboard total: the dashboards' filters and department scope, newest first. */
export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: eventsQuery,
  handler: async ({ caller, query }) => exploreEvents(caller, await orgSettings(), query),
});

export const POST = withRoute({
  auth: "apiKey",
  permission: "ingest",
  bodyLimit: "ingest",
  handler: async ({ req, caller }) => {
    if (caller.kind !== "apiKey") throw new UnauthorizedError();
    await admitIngestion(caller);
    return ingestEvents(caller.source, await readEvents(req), caller.policy);
  },
});
