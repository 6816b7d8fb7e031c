// next-auth configuration: credentials login with rate limiting and lockout, optional SSO, JWT sessions that expire.
import "server-only";
import bcrypt from "bcryptjs";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { clientIp, loginBlocked, recordLoginFailure } from "./login-throttle";
import { admitSsoUser, ssoProviders } from "./sso";

const MAX_FAILED_LOGINS = 5;
const LOCKOUT_MINUTES = 15;
/** A session lasts a working day; after that the user signs in again. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

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
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        const ip = clientIp(req.headers);
        if (await loginBlocked(ip, credentials.email)) {
          log.warn("login refused: too many failures from this address", { ip });
          return null;
        }
        const user = await verifyCredentials(credentials.email, credentials.password);
        if (!user) await recordLoginFailure(ip, credentials.email);
        return user;
      },
    }),
    ...ssoProviders(),
  ],
  callbacks: {
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
