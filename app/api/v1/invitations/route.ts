// GET /api/v1/invitations — pending (and expired) invitations; POST invites by email and returns the link once (admin)
import { withRoute } from "@/lib/api/route";
import { invitationCreate } from "@/lib/admin/invitation-schemas";
import { createInvitation, listInvitations } from "@/lib/admin/invitations";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "session", permission: "admin", handler: async () => ({ invitations: await listInvitations() }) });

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: invitationCreate,
  handler: async ({ caller, body, req }) => Response.json(await createInvitation(caller, body, env().NEXTAUTH_URL ?? req.nextUrl.origin), { status: 201 }),
});
