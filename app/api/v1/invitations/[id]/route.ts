// DELETE /api/v1/invitations/{id} — revokes a pending invitation: its link stops working (admin)
import { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { revokeInvitation } from "@/lib/admin/invitations";

export const dynamic = "force-dynamic";

export const DELETE = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => revokeInvitation(caller, z.coerce.number().int().positive().parse(params.id)),
});
