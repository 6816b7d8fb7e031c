// next-auth configuration: credentials login behind the sign-in limits, optional SSO, JWT sessions that expire.
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { checkPassword } from "./passwords";
import { sameOriginPath } from "./redirect-target";
import { currentSignInClaim, normalizeEmail, releaseAttempt } from "./sign-in-limits";
import { admitSsoUser, ssoProviders } from "./sso";

/** A session lasts a working day; after that the user signs in again. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

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
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        if (!credentials?.email || !credentials.password) return null;
        // The attempt took its slot under the sign-in limits in withSignInGate (the auth route); one that did not is refused.
        const claim = currentSignInClaim();
        if (claim?.email !== normalizeEmail(credentials.email)) {
          log.error("credentials sign-in without a sign-in limits claim: refused (is withSignInGate on the auth route?)");
          return null;
        }
        const user = await verifyCredentials(credentials.email, credentials.password);
        if (user) await releaseAttempt(claim);
        else log.warn("login failed", { source: claim.source });
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
      const emailVerified = (profile as { email_verified?: boolean } | undefined)?.email_verified;
      return (await admitSsoUser({ email: user.email, name: user.name, emailVerified, provider: account.provider })) !== null;
    },
    async jwt({ token, user, account }) {
      // The session carries our user id, never the identity provider's subject.
      if (account?.type === "oauth" && token.email) {
        const dbUser = await db.user.findUnique({ where: { email: token.email.toLowerCase() }, select: { id: true } });
        token.sub = dbUser ? String(dbUser.id) : undefined;
      } else if (user) {
        token.sub = user.id;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) session.user.id = token.sub ?? "";
      return session;
    },
  },
};
