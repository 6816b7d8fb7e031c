// POST /api/v1/invitations/{id}/resend — a new link with a new expiry; the previous link stops working (admin)
import { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { resendInvitation } from "@/lib/admin/invitations";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params, req }) => resendInvitation(caller, z.coerce.number().int().positive().parse(params.id), env().NEXTAUTH_URL ?? req.nextUrl.origin),
});
