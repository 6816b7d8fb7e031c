// Who is calling: a signed-in user (session cookie) or an API key (Bearer token).
import "server-only";
import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { UnauthorizedError } from "@/lib/api/errors";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/enums";
import type { KeyPolicy } from "@/lib/ingest/policy";
import { findApiKey } from "./api-keys";
import { roleAllows, type ApiKeyScope, type Permission } from "./permissions";

export type UserCaller = {
  kind: "user";
  id: number;
  email: string;
  name: string;
  role: Role;
  /** null = all departments; otherwise the only departments this user may see. */
  departmentIds: number[] | null;
  /** The server-side session (user_sessions row) this request came with; absent for callers built in tests. */
  sessionId?: string;
  /** The organization requires two-factor for this password user's role and they have not enrolled yet. */
  mustEnrolTwoFactor?: boolean;
};

export type ApiKeyCaller = {
  kind: "apiKey";
  id: number;
  prefix: string;
  source: string;
  scopes: ApiKeyScope[];
  rateLimitPerMinute: number | null;
  /** What events this key may write (lib/ingest/policy.ts). */
  policy: KeyPolicy;
  /** Which OTLP signal counts this key's usage; the other is accepted and not counted. */
  usageSource: "traces" | "metrics";
};

export type Caller = UserCaller | ApiKeyCaller;

/**
 * The signed-in user, re-read from the database with their session row on every request, so deactivation, role
 * changes and sign-outs apply at once. Pages and route handlers both use it. Only the session cookie counts: the
 * headers are left empty so no Authorization header can stand in for a cookie. (getServerSession would also re-issue
 * the cookie, which a page cannot do; sessions now end 8 h after sign-in whatever the cookie says.)
 */
export async function sessionUser(): Promise<UserCaller | null> {
  const req = { cookies: await cookies(), headers: new Headers() } as unknown as Parameters<typeof getToken>[0]["req"];
  const token = await getToken({ req, secret: env().NEXTAUTH_SECRET });
  return typeof token?.sid === "string" ? userBySession(Number(token.sub), token.sid) : null;
}

/** The same for server-rendered pages. */
export const pageSessionUser = sessionUser;

async function userBySession(id: number, sessionId: string): Promise<UserCaller | null> {
  if (!Number.isInteger(id)) return null;
  // One round trip (Prisma would read the user, session and departments separately): this runs on every request.
  const { rows } = await pool.query<{
    id: number;
    email: string;
    name: string;
    role: Role;
    active: boolean;
    department_ids: number[];
    must_enrol: boolean;
  }>(
    `SELECT u.id, u.email, u.name, u.role, u.active,
            array(SELECT d.department_id FROM user_departments d WHERE d.user_id = u.id ORDER BY 1) AS department_ids,
            coalesce(o.require_sso_or_two_factor AND u.role IN ('admin', 'finance') AND s.method = 'password'
              AND NOT EXISTS (SELECT 1 FROM user_two_factor t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL), false) AS must_enrol
     FROM user_sessions s JOIN users u ON u.id = s.user_id LEFT JOIN organizations o ON o.id = 1
     WHERE s.id = $1 AND s.user_id = $2 AND s.expires_at > now()`,
    [sessionId, id],
  );
  const user = rows[0];
  if (!user || !user.active) return null;
  const departmentIds = user.department_ids;
  return {
    kind: "user",
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    departmentIds: departmentIds.length ? departmentIds : null,
    sessionId,
    mustEnrolTwoFactor: user.must_enrol,
  };
}

export async function apiKeyCaller(authorization: string | null): Promise<ApiKeyCaller | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) return null;
  const key = await findApiKey(match[1]);
  return key ? { kind: "apiKey", ...key } : null;
}

/** The user behind a session-only route (withRoute's auth "session" resolves users only). */
export function userCaller(caller: Caller): UserCaller {
  if (caller.kind !== "user") throw new UnauthorizedError();
  return caller;
}

export function callerAllows(caller: Caller, permission: Permission): boolean {
  if (caller.kind === "user") return roleAllows(caller.role, permission);
  // A key that reports spend may also ask whether it may spend.
  if (permission === "check" && caller.scopes.includes("ingest")) return true;
  return (caller.scopes as string[]).includes(permission);
}

/** Label for audit logs and request logs; never contains a secret. */
export function callerLabel(caller: Caller): string {
  return caller.kind === "user" ? caller.email : `api-key:${caller.prefix}`;
}
