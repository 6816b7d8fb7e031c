// Data and sessions for HTTP-level authorization tests: one user per role plus a department-scoped viewer,
// two departments (SUPPORT in scope; ZZLEAK holds the "zzleak" marker that scoped responses must never show),
// events for both, and API keys with each scope. Logs in through next-auth's real credentials flow.
import { createHash } from "node:crypto";
import bcrypt from "bcryptjs";
import pg from "pg";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import type { CallerName } from "./matrix";

export const PASSWORD = "correct-horse-battery-staple";
export const INGEST_KEY = "al_test_ingest_key_0123456789abcdefghijklmnopq";
export const READ_KEY = "al_test_read_key_0123456789abcdefghijklmnopqrst";
export const BAD_KEY = "al_this_key_does_not_exist_0123456789abcdefghij";
export const LEAK_MARKER = "zzleak";

export const emails: Record<"admin" | "finance" | "ops" | "viewer" | "scoped", string> = {
  admin: "admin@matrix.test",
  finance: "finance@matrix.test",
  ops: "ops@matrix.test",
  viewer: "viewer@matrix.test",
  scoped: "scoped@matrix.test",
};

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export async function seedFixture(databaseUrl: string): Promise<{ support: number; leak: number }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Matrix Org', 'USD', 'UTC', now()) ON CONFLICT (id) DO NOTHING");
    const d = await pool.query<{ id: number }>(
      "INSERT INTO departments (code, name, updated_at) VALUES ('SUPPORT', 'Support', now()), ('ZZLEAK', 'Zzleak Dept', now()) RETURNING id",
    );
    const [support, leak] = [d.rows[0]!.id, d.rows[1]!.id];
    const a = await pool.query<{ id: number }>(
      "INSERT INTO agents (key, name, department_id, updated_at) VALUES ('triage', 'Triage bot', $1, now()), ('zzleak-bot', 'Zzleak bot', $2, now()) RETURNING id",
      [support, leak],
    );
    for (const [i, agentId, dept] of [[0, a.rows[0]!.id, support], [1, a.rows[1]!.id, leak]] as const) {
      for (let day = 1; day <= 5; day++) {
        await pool.query(
          `INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, reported_cost, task_type, handled_by, task_status)
           VALUES ('matrix', $1, $2, 'agent.action', $3, $4, 1.25, 1.25, 'case_resolved', 'agent', 'completed')`,
          [`e${i}-${day}`, `2026-03-0${day}T12:00:00Z`, agentId, dept],
        );
      }
    }
    await rebuildRollups(pool);
    await pool.query("INSERT INTO customers (key, name, updated_at) VALUES ('acme', 'Acme', now())");
    const hash = await bcrypt.hash(PASSWORD, 4);
    for (const [role, email] of Object.entries(emails)) {
      const u = await pool.query<{ id: number }>(
        "INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ($1, $2, $3, $4, now()) RETURNING id",
        [email, `${role} user`, hash, role === "scoped" ? "viewer" : role],
      );
      if (role === "scoped") await pool.query("INSERT INTO user_departments (user_id, department_id) VALUES ($1, $2)", [u.rows[0]!.id, support]);
    }
    await pool.query(
      `INSERT INTO api_keys (name, prefix, hash, source, scopes) VALUES
       ('ingest', $1, $2, 'matrix-ingest', '{ingest}'), ('read', $3, $4, 'matrix-read', '{read}')`,
      [INGEST_KEY.slice(0, 10), sha256(INGEST_KEY), READ_KEY.slice(0, 10), sha256(READ_KEY)],
    );
    return { support, leak };
  } finally {
    await pool.end();
  }
}

/** Cookie header value from Set-Cookie headers (name=value pairs only). */
function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

/** next-auth credentials sign-in: CSRF token + cookie, then the callback. Returns the Cookie header, or null if refused. */
export async function login(baseUrl: string, email: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<string | null> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookies = cookiesOf(csrf);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = cookiesOf(res).find((c) => c.startsWith("next-auth.session-token="));
  return session ? [...csrfCookies, session].join("; ") : null;
}

export type CallerHeaders = Record<CallerName, Record<string, string>>;

/** Request headers that make each kind of caller (session cookie, API key, or nothing). */
export async function callerHeaders(baseUrl: string): Promise<CallerHeaders> {
  const cookie = async (role: keyof typeof emails) => {
    const c = await login(baseUrl, emails[role]);
    if (!c) throw new Error(`could not sign in as ${role}`);
    return { cookie: c, origin: baseUrl };
  };
  return {
    admin: await cookie("admin"),
    finance: await cookie("finance"),
    ops: await cookie("ops"),
    viewer: await cookie("viewer"),
    scoped: await cookie("scoped"),
    anon: {},
    badKey: { authorization: `Bearer ${BAD_KEY}` },
    ingestKey: { authorization: `Bearer ${INGEST_KEY}` },
    readKey: { authorization: `Bearer ${READ_KEY}` },
  };
}
