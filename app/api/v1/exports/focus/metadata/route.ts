// GET /api/v1/exports/focus/metadata[?version=1.3|1.2] — the FOCUS metadata (data generator, schema) of the export
import { withRoute } from "@/lib/api/route";
import { focusMetadata } from "@/lib/billing/focus";
import { focusMetadataQuery } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: focusMetadataQuery,
  handler: async ({ query }) => focusMetadata(query.version),
});
