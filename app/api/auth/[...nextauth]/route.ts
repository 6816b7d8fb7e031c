// GET|POST /api/auth/* — next-auth sign-in, sign-out, session and CSRF endpoints
import NextAuth from "next-auth";
import { withAuthBodyCap } from "@/lib/api/body";
import { authOptions } from "@/lib/auth/options";

const handler = NextAuth(authOptions);
// Sign-in bodies are tiny: anything over BODY_LIMIT_AUTH_BYTES is a 413 before next-auth reads it.
const capped = withAuthBodyCap(handler);
export { handler as GET, capped as POST };
