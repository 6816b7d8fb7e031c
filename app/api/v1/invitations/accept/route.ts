// GET /api/v1/invitations/accept?token= — who the link invites; POST sets the password and creates the user (no session: the link is the credential)
import { NextResponse, type NextRequest } from "next/server";
import { BadRequestError } from "@/lib/api/errors";
import { errorResponse, requestIdOf, toApiError, zodDetails } from "@/lib/api/route";
import { invitationAccept, invitationLookup } from "@/lib/admin/invitation-schemas";
import { acceptInvitation, lookupInvitation } from "@/lib/admin/invitations";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  const requestId = requestIdOf(req);
  try {
    const parsed = invitationLookup.safeParse(Object.fromEntries(req.nextUrl.searchParams));
    if (!parsed.success) throw new BadRequestError("Invalid query parameters", zodDetails(parsed.error));
    return NextResponse.json(await lookupInvitation(parsed.data.token), { headers: { "x-request-id": requestId } });
  } catch (error) {
    return errorResponse(toApiError(error, requestId, "GET /api/v1/invitations/accept"), requestId);
  }
}

export async function POST(req: NextRequest) {
  const requestId = requestIdOf(req);
  try {
    const json = await req.json().catch(() => {
      throw new BadRequestError("Request body is not valid JSON");
    });
    const parsed = invitationAccept.safeParse(json);
    if (!parsed.success) throw new BadRequestError("Invalid request body", zodDetails(parsed.error));
    return NextResponse.json(await acceptInvitation(parsed.data), { status: 201, headers: { "x-request-id": requestId } });
  } catch (error) {
    return errorResponse(toApiError(error, requestId, "POST /api/v1/invitations/accept"), requestId);
  }
}
