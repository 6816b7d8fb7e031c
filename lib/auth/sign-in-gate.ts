// The sign-in limits at the HTTP layer: next-auth answers a refused credentials sign-in with 401 and cannot
// say "wait", so POST /api/auth/callback/credentials passes through here first. The attempt takes its slot
// (lib/auth/sign-in-limits.ts) before next-auth runs; a refused one gets 429 with Retry-After and its password
// is never checked. The claim reaches the credentials provider's authorize() (currentSignInClaim), which
// refuses any attempt that did not come through here.
import "server-only";
import { NextRequest } from "next/server";
import { ApiError } from "@/lib/api/errors";
import { errorResponse, requestIdOf } from "@/lib/api/route";
import { log } from "@/lib/log";
import { clientAddress } from "./client-address";
import { claimAttempt, runWithSignInClaim } from "./sign-in-limits";

type RouteHandler<C> = (req: NextRequest, context: C) => Promise<Response>;

/** The submitted email, read the way next-auth reads the body (form or JSON); null when absent. */
function emailOf(body: string, contentType: string): string | null {
  let value: unknown;
  if (contentType.includes("application/json")) {
    try {
      value = (JSON.parse(body) as { email?: unknown } | null)?.email;
    } catch {
      return null;
    }
  } else if (contentType.includes("application/x-www-form-urlencoded")) {
    value = new URLSearchParams(body).get("email");
  }
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

export function withSignInGate<C>(handler: RouteHandler<C>): RouteHandler<C> {
  return async (req, context) => {
    if (req.method !== "POST" || !req.nextUrl.pathname.endsWith("/callback/credentials")) return handler(req, context);
    // The body is read once here and handed on, since a request body can be read only once.
    const body = await req.text();
    const forward = new NextRequest(req.url, { method: req.method, headers: req.headers, body });
    const email = emailOf(body, req.headers.get("content-type") ?? "");
    if (email === null) return handler(forward, context); // nothing to check: next-auth refuses it
    const source = clientAddress(req.headers);
    const result = await claimAttempt(email, source);
    if ("refused" in result) {
      const { reason, retryAfterSeconds } = result.refused;
      log.warn("sign-in refused: too many attempts", { reason, source, retryAfterSeconds });
      const message = `Too many sign-in attempts; try again in ${retryAfterSeconds} s`;
      return errorResponse(new ApiError(429, "rate_limited", message, undefined, { "Retry-After": String(retryAfterSeconds) }), requestIdOf(req));
    }
    return runWithSignInClaim(result.claim, () => handler(forward, context));
  };
}
