// next-auth configuration: credentials login behind the sign-in limits with an optional TOTP second step, optional SSO,
// JWT sessions backed by a server-side row (lib/auth/sessions.ts) so that signing out ends them at once.
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { cookies } from "next/headers";
import { log } from "@/lib/log";
import { consumeLinkIntent, LINK_COOKIE } from "./account";
import { checkPassword } from "./passwords";
import { sameOriginPath } from "./redirect-target";
import { TWO_FACTOR_INVALID, TWO_FACTOR_REQUIRED } from "./sign-in-errors";
import { endSession, openSession, SESSION_MAX_AGE_SECONDS, sessionAlive } from "./sessions";
import { currentSignInClaim, normalizeEmail, releaseAttempt } from "./sign-in-limits";
import { admitSsoUser, linkedUserId, ssoIssuer, ssoProviders } from "./sso";
import { twoFactorEnabled, verifySecondFactor } from "./two-factor";

/** After the password: the second factor, when the user has enrolled. */
async function secondFactor(userId: number, code: string | undefined): Promise<"ok" | "required" | "invalid"> {
  if (!(await twoFactorEnabled(userId))) return "ok";
  if (!code) return "required";
  return (await verifySecondFactor(userId, code)) ? "ok" : "invalid";
}

/**
 * Checks a password. Unknown, deactivated and SSO-only accounts get the same bcrypt work and the same
 * answer (null), so neither the answer nor its timing tells which emails have accounts.
 */
export async function verifyCredentials(email: string, password: string) {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) }, omit: { passwordHash: false } });
  const usable = user?.active ? user : null;
  if (!(await checkPassword(password, usable?.passwordHash)) || !usable) return null;
  await db.user.update({ where: { id: usable.id }, data: { lastLoginAt: new Date() } });
  return { id: String(usable.id), email: usable.email, name: usable.name, role: usable.role };
}

export const authOptions: NextAuthOptions = {
  secret: env().NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
  // Refused SSO logins come back to the login page with ?error=AccessDenied.
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        code: { label: "Authentication code", type: "text" },
      },
      async authorize(credentials) {
        if (!credentials?.email || !credentials.password) return null;
        // The attempt took its slot under the sign-in limits in withSignInGate (the auth route); one that did not is refused.
        const claim = currentSignInClaim();
        if (claim?.email !== normalizeEmail(credentials.email)) {
          log.error("credentials sign-in without a sign-in limits claim: refused (is withSignInGate on the auth route?)");
          return null;
        }
        const user = await verifyCredentials(credentials.email, credentials.password);
        if (!user) {
          log.warn("login failed", { source: claim.source });
          return null;
        }
        // A right password gives the attempt back; a wrong code keeps it counted, like a wrong password.
        const factor = await secondFactor(Number(user.id), credentials.code);
        if (factor !== "invalid") await releaseAttempt(claim);
        if (factor === "required") throw new Error(TWO_FACTOR_REQUIRED);
        if (factor === "invalid") {
          log.warn("login refused: wrong second factor", { userId: user.id });
          throw new Error(TWO_FACTOR_INVALID);
        }
        return user;
      },
    }),
    ...ssoProviders(),
  ],
  callbacks: {
    // After sign-in or sign-out, only targets on this site (lib/auth/redirect-target.ts).
    redirect({ url, baseUrl }) {
      return new URL(sameOriginPath(url, baseUrl), baseUrl).href;
    },
    async signIn({ user, account, profile }) {
      if (account?.type !== "oauth") return true;
      const claims = (profile ?? {}) as { email_verified?: unknown; organization_id?: string };
      // A signed-in user who asked to link this provider (Security page) sent the browser here with a one-time cookie.
      const linkUserId = await consumeLinkIntent((await cookies()).get(LINK_COOKIE)?.value, account.provider);
      const admitted = await admitSsoUser(
        {
          provider: account.provider,
          issuer: ssoIssuer(account.provider),
          subject: account.providerAccountId,
          email: user.email,
          name: user.name,
          emailVerified: claims.email_verified,
          organizationId: claims.organization_id,
        },
        { linkUserId },
      );
      return admitted !== null;
    },
    async jwt({ token, user, account }) {
      if (user) {
        // Sign-in: the token carries our user id (never the identity provider's subject) and a new session's id.
        const userId =
          account?.type === "oauth" ? await linkedUserId(ssoIssuer(account.provider), account.providerAccountId) : Number(user.id);
        if (!userId) throw new Error("signed-in user not found");
        token.sub = String(userId);
        token.sid = await openSession(userId, account?.type === "oauth" ? "sso" : "password");
        return token;
      }
      // Later reads (/api/auth/session): a session ended server-side is over; throwing clears the cookie.
      if (typeof token.sid !== "string" || !(await sessionAlive(token.sid))) throw new Error("session ended");
      return token;
    },
    session({ session, token }) {
      if (session.user) session.user.id = token.sub ?? "";
      return session;
    },
  },
  events: {
    // Signing out of this browser ends its server-side session, so a copy of the cookie stops working too.
    async signOut({ token }) {
      if (typeof token?.sid === "string") await endSession(token.sid);
    },
  },
};

/** The SSO providers configured (for the login and Security pages). */
export function ssoProviderList(): { id: string; name: string }[] {
  return authOptions.providers.filter((p) => p.type === "oauth").map((p) => ({ id: p.id, name: p.name }));
}
