// POST /api/v1/unsubscribe?token= — stops the notification mail a signed link names (no session: the link is the credential; RFC 8058 one-click); GET opens the confirmation page
import { NextResponse, type NextRequest } from "next/server";
import { BadRequestError, NotFoundError } from "@/lib/api/errors";
import { errorResponse, requestIdOf, toApiError, zodDetails } from "@/lib/api/route";
import { unsubscribeQuery } from "@/lib/alerts/schemas";
import { unsubscribe } from "@/lib/alerts/unsubscribe";

export const dynamic = "force-dynamic";

// A link scanner's GET must not unsubscribe anyone: it only leads to the page with the button.
export function GET(req: NextRequest) {
  return NextResponse.redirect(new URL(`/unsubscribe?token=${encodeURIComponent(req.nextUrl.searchParams.get("token") ?? "")}`, req.nextUrl), 303);
}

export async function POST(req: NextRequest) {
  const requestId = requestIdOf(req);
  try {
    const parsed = unsubscribeQuery.safeParse(Object.fromEntries(req.nextUrl.searchParams));
    if (!parsed.success) throw new BadRequestError("Invalid query parameters", zodDetails(parsed.error));
    if (!(await unsubscribe(parsed.data.token))) throw new NotFoundError("This unsubscribe link is invalid or its channel no longer exists");
    // The page's plain form post gets the page back; mail clients' one-click post gets JSON.
    if (req.headers.get("accept")?.includes("text/html")) return NextResponse.redirect(new URL("/unsubscribe?done=1", req.nextUrl), 303);
    return NextResponse.json({ unsubscribed: true }, { headers: { "x-request-id": requestId } });
  } catch (error) {
    return errorResponse(toApiError(error, requestId, "POST /api/v1/unsubscribe"), requestId);
  }
}
