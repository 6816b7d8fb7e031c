// GET /api/v1/retention — raw event retention: setting, dry run of the next run (changes nothing), past runs
import { withRoute } from "@/lib/api/route";
import { retentionOverview } from "@/lib/retention/admin";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "session", permission: "admin", handler: async () => retentionOverview() });
