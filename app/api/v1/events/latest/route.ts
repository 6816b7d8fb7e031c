// GET /api/v1/events/latest — the most recently received event the caller may see (the first-event indicator polls it)
import { withRoute } from "@/lib/api/route";
import { latestEvent } from "@/lib/onboarding/latest";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async ({ caller }) => latestEvent(caller),
});
