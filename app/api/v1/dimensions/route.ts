// GET /api/v1/dimensions — promoted custom dimensions and candidates; POST — promote a property (admin; rebuilds rollups)
import { withRoute } from "@/lib/api/route";
import { listDimensions, promoteDimension } from "@/lib/analytics/dimensions";
import { dimensionBody } from "@/lib/analytics/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: ({ caller }) => listDimensions(caller),
});

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: dimensionBody,
  handler: ({ caller, body }) => promoteDimension(caller, body.name),
});
