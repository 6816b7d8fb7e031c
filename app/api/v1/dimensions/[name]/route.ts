// DELETE /api/v1/dimensions/{name} — demote a custom dimension (admin; rebuilds rollups)
import { withRoute } from "@/lib/api/route";
import { demoteDimension } from "@/lib/analytics/dimensions";

export const DELETE = withRoute<undefined, undefined, { name: string }>({
  auth: "session",
  permission: "admin",
  handler: ({ caller, params }) => demoteDimension(caller, params.name),
});
