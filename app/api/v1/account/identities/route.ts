// POST /api/v1/account/identities — start linking an SSO identity to your account (then sign in with that provider)
import { NextResponse } from "next/server";
import { createLinkIntent, LINK_COOKIE, LINK_TTL_SECONDS } from "@/lib/auth/account";
import type { UserCaller } from "@/lib/auth/caller";
import { ssoProviderList } from "@/lib/auth/options";
import { identityLink } from "@/lib/auth/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  body: identityLink,
  handler: async ({ req, caller, body }) => {
    const token = await createLinkIntent(caller as UserCaller, body.provider, ssoProviderList());
    const res = NextResponse.json({ provider: body.provider, expiresInSeconds: LINK_TTL_SECONDS });
    // Lax: the provider's redirect back to /api/auth/callback is a top-level GET, which carries it.
    res.cookies.set(LINK_COOKIE, token, {
      httpOnly: true,
      sameSite: "lax",
      secure: req.nextUrl.protocol === "https:",
      path: "/api/auth",
      maxAge: LINK_TTL_SECONDS,
    });
    return res;
  },
});
