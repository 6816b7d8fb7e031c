// DELETE /api/v1/pricing/discounts/:id — remove a negotiated discount
import { idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";
import { deleteDiscount } from "@/lib/pricing/admin";

export const dynamic = "force-dynamic";

export const DELETE = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => deleteDiscount(caller, idParams.parse(params).id),
});
