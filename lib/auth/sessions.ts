// Server-side sessions: every session JWT names a row here, so signing out (one browser or everywhere) takes effect
// at once instead of when the 8-hour token expires. The row is checked with the user on every request (caller.ts).
import "server-only";
import { randomBytes } from "node:crypto";
import { pool } from "@/lib/db";

/** A session lasts a working day from sign-in; after that the user signs in again. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export type SessionMethod = "password" | "sso";

type Queryable = { query: (sql: string, params: unknown[]) => Promise<unknown> };

/** Opens a session for a user who just signed in; returns its id for the JWT. */
export async function openSession(userId: number, method: SessionMethod): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await pool.query(
    `WITH gone AS (DELETE FROM user_sessions WHERE expires_at < now())
     INSERT INTO user_sessions (id, user_id, method, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [id, userId, method, SESSION_MAX_AGE_SECONDS],
  );
  return id;
}

/** Signs out one browser. */
export async function endSession(id: string): Promise<void> {
  await pool.query("DELETE FROM user_sessions WHERE id = $1", [id]);
}

/**
 * Signs a user out everywhere (password change or reset, deactivation, "sign out everywhere"), except `keep`:
 * the browser that changed its own password stays signed in. Pass a transaction so it commits with the change.
 */
export async function endUserSessions(userId: number, keep: string | null = null, client: Queryable = pool): Promise<void> {
  await client.query("DELETE FROM user_sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2", [userId, keep]);
}

export async function sessionAlive(id: string): Promise<boolean> {
  const { rowCount } = await pool.query("SELECT 1 FROM user_sessions WHERE id = $1 AND expires_at > now()", [id]);
  return rowCount === 1;
}
