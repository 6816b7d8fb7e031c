// GET /api/v1/agents/{key}/events — the agent's raw events in the range, newest first, keyset-paginated
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { agentEvents } from "@/lib/analytics/agent";
import { agentEventsQuery } from "@/lib/analytics/schemas";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export const GET = withRoute<z.output<typeof agentEventsQuery>, undefined, { key: string }>({
  auth: "either",
  permission: "read",
  replica: true,
  query: agentEventsQuery,
  handler: async ({ caller, query, params }) => agentEvents(caller, await orgSettings(), params.key, query),
});
