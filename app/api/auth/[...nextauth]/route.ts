// GET|POST /api/auth/* — next-auth sign-in, sign-out, session and CSRF endpoints
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { withSignInGate } from "@/lib/auth/sign-in-gate";

const handler = NextAuth(authOptions);
export const GET = handler;
export const POST = withSignInGate(handler);
