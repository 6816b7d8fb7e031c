// Single sign-on: a generic OpenID Connect provider and Salesforce, both configured by environment.
// An identity is known by (issuer, subject), never by its email. Who may sign in:
// - an identity already linked to an active user;
// - a signed-in user linking an identity from their Security page (a one-time link intent, see account.ts);
// - the first SSO login of an admin's invitation: a user with exactly that (verified) email, no password and no linked
//   identity yet; that login links the identity and consumes the invitation;
// - a new user from an email domain in SSO_DOMAIN_ROLES (never as admin).
// Everyone else is refused, in particular any identity whose email matches an existing password account.
import "server-only";
import type { Provider } from "next-auth/providers/index";
import type { TokenSet } from "openid-client";
import SalesforceProvider from "next-auth/providers/salesforce";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";
import { guardedLookup } from "@/lib/net/outbound";

type OidcClaims = { sub: string; email?: string; email_verified?: boolean; name?: string; preferred_username?: string };

export function ssoProviders(): Provider[] {
  const e = env();
  const providers: Provider[] = [];
  // openid-client (discovery, token, userinfo, JWKS) connects through the outbound policy's lookup; the issuer URL
  // itself is checked when the configuration is read (lib/env.ts). It never follows redirects.
  const httpOptions = { lookup: guardedLookup("any", e.OUTBOUND_ALLOW_LOOPBACK_HTTP), timeout: 10_000 };
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
      httpOptions,
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
        httpOptions,
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

/** The issuer an identity of this provider is recorded under: the configured one, which the sign-in was checked against. */
export function ssoIssuer(provider: string): string {
  const e = env();
  return (provider === "salesforce" ? e.SALESFORCE_SSO_ISSUER : (e.OIDC_ISSUER ?? "")).replace(/\/$/, "");
}

/** "example.com:viewer,corp.example:ops" → Map(domain → role). Admin is never granted by a domain rule. */
export function parseDomainRoles(value: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of value.split(",")) {
    const [domain, role] = pair.split(":").map((s) => s.trim().toLowerCase());
    if (domain && (role === "finance" || role === "ops" || role === "viewer")) map.set(domain, role);
  }
  return map;
}

/** Salesforce shows org ids in 15- and 18-character forms; the first 15 characters are the id. */
const orgId15 = (id: string | null | undefined) => (id ?? "").slice(0, 15);

export type SsoIdentity = {
  provider: string;
  issuer: string;
  subject: string;
  email?: string | null;
  name?: string | null;
  /** Only `true` counts: a missing claim is not a verified address. */
  emailVerified?: unknown;
  /** Salesforce: the org the user belongs to (userinfo `organization_id`). */
  organizationId?: string | null;
};

type AdmitOptions = { domainRoles?: Map<string, Role>; linkUserId?: number | null; salesforceOrgId?: string };

function refuse(reason: string, identity: SsoIdentity, extra: Record<string, unknown> = {}): null {
  log.warn(`sso login refused: ${reason}`, { provider: identity.provider, ...extra });
  return null;
}

/** Decides whether an SSO identity may sign in (rules at the top of this file). Returns the user id, or null. */
export async function admitSsoUser(identity: SsoIdentity, options: AdmitOptions = {}): Promise<number | null> {
  const domainRoles = options.domainRoles ?? parseDomainRoles(env().SSO_DOMAIN_ROLES);
  const email = identity.email?.trim().toLowerCase();
  if (!identity.subject || !identity.issuer) return refuse("no subject", identity);
  if (!email || identity.emailVerified !== true) return refuse("no verified email", identity);
  if (identity.provider === "salesforce") {
    const pinned = options.salesforceOrgId ?? env().SALESFORCE_SSO_ORG_ID;
    if (pinned && orgId15(identity.organizationId) !== orgId15(pinned)) {
      return refuse("user of another Salesforce org", identity, { organizationId: identity.organizationId ?? null });
    }
  }
  const key = { issuer: identity.issuer, subject: identity.subject };
  return db.$transaction(async (tx) => {
    const linked = await tx.userIdentity.findUnique({ where: { issuer_subject: key }, select: { id: true, user: { select: { id: true, active: true } } } });
    if (linked) {
      if (!linked.user.active) return refuse("user deactivated", identity, { userId: linked.user.id });
      if (options.linkUserId && options.linkUserId !== linked.user.id) return refuse("identity already linked to another user", identity);
      await tx.userIdentity.update({ where: { id: linked.id }, data: { lastLoginAt: new Date() } });
      await tx.user.update({ where: { id: linked.user.id }, data: { lastLoginAt: new Date() } });
      return linked.user.id;
    }
    const link = async (userId: number, action: string) => {
      await tx.userIdentity.create({ data: { userId, provider: identity.provider, ...key, email, lastLoginAt: new Date() } });
      await tx.user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } });
      await audit(tx, { actor: null, action, entity: "user", entityId: userId, after: { provider: identity.provider, ...key, email } });
      return userId;
    };
    if (options.linkUserId) {
      const user = await tx.user.findUnique({ where: { id: options.linkUserId }, select: { active: true } });
      if (!user?.active) return refuse("linking user deactivated", identity);
      return link(options.linkUserId, "user.identity_link");
    }
    // Locked so that two identities with the invited email cannot both consume the invitation.
    const [existing] = await tx.$queryRaw<{ id: number; active: boolean; has_password: boolean; has_identity: boolean }[]>(Prisma.sql`
      SELECT id, active, password_hash IS NOT NULL AS has_password,
             EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = users.id) AS has_identity
      FROM users WHERE email = ${email} FOR UPDATE`);
    if (existing) {
      if (!existing.active) return refuse("user deactivated", identity, { userId: existing.id });
      if (existing.has_password || existing.has_identity) {
        return refuse("the email belongs to an account that must link this identity itself", identity, { userId: existing.id });
      }
      return link(existing.id, "user.invitation_accept");
    }
    const role = domainRoles.get(email.split("@")[1] ?? "");
    if (!role) return refuse("no invitation and no domain rule", identity);
    const created = await tx.user.create({
      data: { email, name: identity.name?.trim() || email, role, lastLoginAt: new Date() },
      select: { id: true, email: true, name: true, role: true },
    });
    await audit(tx, { actor: null, action: "user.sso_provision", entity: "user", entityId: created.id, after: { ...created, provider: identity.provider } });
    await tx.userIdentity.create({ data: { userId: created.id, provider: identity.provider, ...key, email, lastLoginAt: new Date() } });
    return created.id;
  });
}

/** The user an identity is linked to (after admitSsoUser accepted it). */
export async function linkedUserId(issuer: string, subject: string): Promise<number | null> {
  const row = await db.userIdentity.findUnique({ where: { issuer_subject: { issuer, subject } }, select: { userId: true } });
  return row?.userId ?? null;
}
