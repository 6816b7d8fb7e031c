// POST /api/setup — creates the first admin with the one-time setup link's token (no session: there are no users yet)
import { NextResponse, type NextRequest } from "next/server";
import { BadRequestError } from "@/lib/api/errors";
import { errorResponse, requestIdOf, toApiError, zodDetails } from "@/lib/api/route";
import { completeSetup } from "@/lib/setup/bootstrap";
import { setupRequest } from "@/lib/setup/schemas";

export const dynamic = "force-dynamic";

export async function POST(req: NextRequest) {
  const requestId = requestIdOf(req);
  try {
    const json = await req.json().catch(() => {
      throw new BadRequestError("Request body is not valid JSON");
    });
    const parsed = setupRequest.safeParse(json);
    if (!parsed.success) throw new BadRequestError("Invalid request body", zodDetails(parsed.error));
    return NextResponse.json(await completeSetup(parsed.data), { status: 201, headers: { "x-request-id": requestId } });
  } catch (error) {
    return errorResponse(toApiError(error, requestId, "POST /api/setup"), requestId);
  }
}
