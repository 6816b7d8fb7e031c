// next-auth configuration: credentials login with rate limiting and lockout, optional TOTP second step, optional SSO,
// JWT sessions backed by a server-side row (lib/auth/sessions.ts) so that signing out ends them at once.
import "server-only";
import bcrypt from "bcryptjs";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { cookies } from "next/headers";
import { log } from "@/lib/log";
import { consumeLinkIntent, LINK_COOKIE } from "./account";
import { clientIp, loginBlocked, recordLoginFailure } from "./login-throttle";
import { endSession, openSession, SESSION_MAX_AGE_SECONDS, sessionAlive } from "./sessions";
import { admitSsoUser, linkedUserId, ssoIssuer, ssoProviders } from "./sso";
import { TWO_FACTOR_INVALID, TWO_FACTOR_REQUIRED } from "./schemas";
import { twoFactorEnabled, verifySecondFactor } from "./two-factor";

const MAX_FAILED_LOGINS = 5;
const LOCKOUT_MINUTES = 15;

/** After the password: the second factor, when the user has enrolled. A wrong code counts as a failed login. */
async function checkSecondFactor(userId: number, code: string | undefined, onFailure: () => Promise<void>) {
  if (!(await twoFactorEnabled(userId))) return;
  if (!code) throw new Error(TWO_FACTOR_REQUIRED);
  if (!(await verifySecondFactor(userId, code))) {
    await onFailure();
    log.warn("login refused: wrong second factor", { userId });
    throw new Error(TWO_FACTOR_INVALID);
  }
}

/** Checks a password; locks the account for a while after repeated failures. */
export async function verifyCredentials(email: string, password: string) {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    omit: { passwordHash: false },
  });
  if (!user || !user.active || !user.passwordHash) return null;
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    log.warn("login refused: account locked", { userId: user.id });
    return null;
  }
  const ok = await bcrypt.compare(password, user.passwordHash);
  if (!ok) {
    const failedLogins = user.failedLogins + 1;
    const locked = failedLogins >= MAX_FAILED_LOGINS;
    await db.user.update({
      where: { id: user.id },
      data: locked
        ? { failedLogins: 0, lockedUntil: new Date(Date.now() + LOCKOUT_MINUTES * 60_000) }
        : { failedLogins },
    });
    log.warn("login failed", { userId: user.id, locked });
    return null;
  }
  await db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() } });
  return { id: String(user.id), email: user.email, name: user.name, role: user.role };
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
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        const ip = clientIp(req.headers);
        if (await loginBlocked(ip, credentials.email)) {
          log.warn("login refused: too many failures from this address", { ip });
          return null;
        }
        const user = await verifyCredentials(credentials.email, credentials.password);
        if (!user) await recordLoginFailure(ip, credentials.email);
        else await checkSecondFactor(Number(user.id), credentials.code, () => recordLoginFailure(ip, credentials.email));
        return user;
      },
    }),
    ...ssoProviders(),
  ],
  callbacks: {
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
