// Single sign-on: a generic OpenID Connect provider and Salesforce, both configured by environment.
// Nobody signs up by themselves: the first SSO login must match an admin's invitation (a User row
// with that email) or an email domain listed in SSO_DOMAIN_ROLES; everyone else is refused.
import "server-only";
import type { Provider } from "next-auth/providers/index";
import type { TokenSet } from "openid-client";
import SalesforceProvider from "next-auth/providers/salesforce";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";

type OidcClaims = { sub: string; email?: string; email_verified?: boolean; name?: string; preferred_username?: string };

export function ssoProviders(): Provider[] {
  const e = env();
  const providers: Provider[] = [];
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
    const issuer = e.OIDC_ISSUER.replace(/\/$/, "");
    providers.push({
      id: "oidc",
      name: e.OIDC_NAME,
      type: "oauth",
      issuer,
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state", "nonce"],
      // The ID token is verified first (signature, issuer, audience, nonce); many providers put email only
      // in userinfo, so the profile is the token's claims plus userinfo (whose subject must match).
      userinfo: {
        // next-auth types `tokens` loosely; at run time it is openid-client's TokenSet.
        request: async ({ tokens, client }) => {
          const set = tokens as TokenSet;
          return { ...set.claims(), ...(await client.userinfo(set)) };
        },
      },
      profile: (claims: OidcClaims) => ({
        id: claims.sub,
        email: claims.email ?? null,
        name: claims.name ?? claims.preferred_username ?? claims.email ?? null,
      }),
    });
  }
  if (e.SALESFORCE_SSO_CLIENT_ID && e.SALESFORCE_SSO_CLIENT_SECRET) {
    providers.push(
      SalesforceProvider({
        clientId: e.SALESFORCE_SSO_CLIENT_ID,
        clientSecret: e.SALESFORCE_SSO_CLIENT_SECRET,
        issuer: e.SALESFORCE_SSO_ISSUER.replace(/\/$/, ""),
        // next-auth's default Salesforce profile drops the email (we need it to map the user) and skips PKCE/state.
        checks: ["pkce", "state"],
        profile: (info) => ({
          id: String(info.user_id ?? info.sub),
          email: info.email ?? null,
          name: info.name ?? info.email ?? null,
          image: info.picture ?? null,
        }),
      }),
    );
  }
  return providers;
}

/** "example.com:viewer,corp.example:ops" → Map(domain → role). */
export function parseDomainRoles(value: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of value.split(",")) {
    const [domain, role] = pair.split(":").map((s) => s.trim().toLowerCase());
    if (domain && role) map.set(domain, role as Role);
  }
  return map;
}

/**
 * Decides whether an SSO identity may sign in, creating its user on first login from a domain rule.
 * Returns the user id, or null when refused (unknown domain, deactivated, or unverified email).
 */
export async function admitSsoUser(
  identity: { email?: string | null; name?: string | null; emailVerified?: boolean; provider: string },
  domainRoles = parseDomainRoles(env().SSO_DOMAIN_ROLES),
): Promise<number | null> {
  const email = identity.email?.trim().toLowerCase();
  // An identity provider that says the address is unverified cannot vouch for who owns it.
  if (!email || identity.emailVerified === false) {
    log.warn("sso login refused: no verified email", { provider: identity.provider });
    return null;
  }
  const existing = await db.user.findUnique({ where: { email }, select: { id: true, active: true } });
  if (existing) {
    if (!existing.active) {
      log.warn("sso login refused: user deactivated", { userId: existing.id, provider: identity.provider });
      return null;
    }
    await db.user.update({ where: { id: existing.id }, data: { lastLoginAt: new Date() } });
    return existing.id;
  }
  const role = domainRoles.get(email.split("@")[1] ?? "");
  if (!role) {
    log.warn("sso login refused: no invitation and no domain rule", { provider: identity.provider });
    return null;
  }
  const user = await db.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { email, name: identity.name?.trim() || email, role, lastLoginAt: new Date() },
      select: { id: true, email: true, name: true, role: true },
    });
    await audit(tx, { actor: null, action: "user.sso_provision", entity: "user", entityId: created.id, after: { ...created, provider: identity.provider } });
    return created;
  });
  return user.id;
}
