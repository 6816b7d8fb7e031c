// Who is calling: a signed-in user (session cookie) or an API key (Bearer token).
import "server-only";
import { getServerSession } from "next-auth";
import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/enums";
import type { KeyPolicy } from "@/lib/ingest/policy";
import { authOptions } from "./options";
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
};

export type Caller = UserCaller | ApiKeyCaller;

/** The signed-in user, re-read from the database so deactivation and role changes apply at once. */
export async function sessionUser(): Promise<UserCaller | null> {
  const session = await getServerSession(authOptions);
  return userById(Number(session?.user?.id));
}

/**
 * The same for server-rendered pages: only decodes the session cookie. getServerSession would also re-issue it,
 * which a page cannot do (route handlers still slide the session), at ~7 ms per page.
 */
export async function pageSessionUser(): Promise<UserCaller | null> {
  // getToken reads `cookies.getAll()`; the headers are left empty so no Authorization header can stand in for a cookie.
  const req = { cookies: await cookies(), headers: new Headers() } as unknown as Parameters<typeof getToken>[0]["req"];
  const token = await getToken({ req, secret: env().NEXTAUTH_SECRET });
  return userById(Number(token?.sub));
}

async function userById(id: number): Promise<UserCaller | null> {
  if (!Number.isInteger(id)) return null;
  // One round trip (Prisma would read the user and its departments separately): this runs on every page.
  const { rows } = await pool.query<{ id: number; email: string; name: string; role: Role; active: boolean; department_ids: number[] }>(
    `SELECT u.id, u.email, u.name, u.role, u.active,
            array(SELECT d.department_id FROM user_departments d WHERE d.user_id = u.id ORDER BY 1) AS department_ids
     FROM users u WHERE u.id = $1`,
    [id],
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
  };
}

export async function apiKeyCaller(authorization: string | null): Promise<ApiKeyCaller | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) return null;
  const key = await findApiKey(match[1]);
  return key ? { kind: "apiKey", ...key } : null;
}

export function callerAllows(caller: Caller, permission: Permission): boolean {
  if (caller.kind === "user") return roleAllows(caller.role, permission);
  return (caller.scopes as string[]).includes(permission);
}

/** Label for audit logs and request logs; never contains a secret. */
export function callerLabel(caller: Caller): string {
  return caller.kind === "user" ? caller.email : `api-key:${caller.prefix}`;
}
