// GET|POST /api/auth/* — next-auth sign-in, sign-out, session and CSRF endpoints
import NextAuth from "next-auth";
import { withAuthBodyCap } from "@/lib/api/body";
import { authOptions } from "@/lib/auth/options";
import { withSignInGate } from "@/lib/auth/sign-in-gate";

const handler = NextAuth(authOptions);
// Sign-in bodies are tiny: anything over BODY_LIMIT_AUTH_BYTES is a 413 before the sign-in gate or next-auth reads it.
export const GET = handler;
export const POST = withAuthBodyCap(withSignInGate(handler));
