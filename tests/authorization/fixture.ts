// Data and sessions for HTTP-level authorization tests: one user per role plus a department-scoped viewer and
// finance user, two departments (SUPPORT in scope; ZZLEAK holds the "zzleak" marker that scoped responses must
// never show), and API keys with each scope. ZZLEAK's data carries the marker everywhere it can — agent, customer,
// model, event type, property name, an invoice, an alert, a share of a rule on a shared SUPPORT agent — and costs
// that make its totals recognisable (LEAK_AMOUNTS). Logs in through next-auth's real credentials flow.
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
/**
 * ZZLEAK's events cost 1000.37 each (5 of them: 5001.85; organisation total with SUPPORT's 5 × 1.25: 5008.10).
 * None of these may appear in a scoped response, raw or formatted.
 */
export const LEAK_AMOUNTS = ["1000.37", "1,000.37", "5001.85", "5,001.85", "5008.1", "5,008.1"];

export const emails: Record<"admin" | "finance" | "ops" | "viewer" | "scoped" | "scopedFinance", string> = {
  admin: "admin@matrix.test",
  finance: "finance@matrix.test",
  ops: "ops@matrix.test",
  viewer: "viewer@matrix.test",
  scoped: "scoped@matrix.test",
  scopedFinance: "scoped-finance@matrix.test",
};

/** Roles of the two department-scoped users (both limited to SUPPORT). */
const scopedRoles: Record<string, string> = { scoped: "viewer", scopedFinance: "finance" };

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
      `INSERT INTO agents (key, name, department_id, shared, updated_at) VALUES ('triage', 'Triage bot', $1, false, now()),
       ('zzleak-bot', 'Zzleak bot', $2, false, now()), ('shared-bot', 'Shared bot', $1, true, now()) RETURNING id`,
      [support, leak],
    );
    await pool.query("INSERT INTO customers (key, name, updated_at) VALUES ('acme', 'Acme', now())");
    const c = await pool.query<{ id: number }>("INSERT INTO customers (key, name, updated_at) VALUES ('zzleak-customer', 'Zzleak Customer', now()) RETURNING id");
    const leakCustomer = c.rows[0]!.id;
    const insertEvent = (key: string, at: string, agentId: number, dept: number, cost: string, leaky: boolean) =>
      pool.query(
        `INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, customer_id, model, cost, reported_cost, task_type, handled_by, task_status, properties)
         VALUES ('matrix', $1, $2, $3, $4, $5, $6, $7, $8, $8, 'case_resolved', 'agent', 'completed', $9)`,
        [key, at, leaky ? "zzleak.type" : "agent.action", agentId, dept, leaky ? leakCustomer : null, leaky ? "zzleak-model" : null, cost, leaky ? '{"zzleak_prop": "x"}' : '{"channel": "chat"}'],
      );
    for (let day = 1; day <= 5; day++) {
      await insertEvent(`e0-${day}`, `2026-03-0${day}T12:00:00Z`, a.rows[0]!.id, support, "1.25", false);
      await insertEvent(`e1-${day}`, `2026-03-0${day}T12:00:00Z`, a.rows[1]!.id, leak, "1000.37", true);
    }
    // Yesterday, at no cost (totals unchanged): the dashboards' filter options list the last 90 days' models,
    // types and customers.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    await insertEvent("recent-0", yesterday, a.rows[0]!.id, support, "0", false);
    await insertEvent("recent-1", yesterday, a.rows[1]!.id, leak, "0", true);
    // The shared agent's work is split 60/40 between SUPPORT and ZZLEAK by a fixed rule (no cost of its own,
    // so the totals above stay exact).
    const rule = await pool.query<{ id: number }>("INSERT INTO allocation_rules (agent_id, method, effective_from) VALUES ($1, 'fixed', '2026-01-01') RETURNING id", [a.rows[2]!.id]);
    await pool.query("INSERT INTO allocation_shares (rule_id, department_id, percent) VALUES ($1, $2, 60), ($1, $3, 40)", [rule.rows[0]!.id, support, leak]);
    await rebuildRollups(pool);
    await pool.query(
      `INSERT INTO invoices (customer_id, period, period_start, period_end, status, subtotal, total, updated_at)
       VALUES ($1, '2026-03', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', 'draft', 5001.85, 5001.85, now())`,
      [leakCustomer],
    );
    await pool.query(
      `INSERT INTO alerts (key, kind, department_id, period, message, value, threshold)
       VALUES ('zzleak-budget', 'budget', $1, '2026-03', 'ZZLEAK spent 5001.85 of its budget', 5001.85, 100)`,
      [leak],
    );
    const hash = await bcrypt.hash(PASSWORD, 4);
    for (const [role, email] of Object.entries(emails)) {
      const u = await pool.query<{ id: number }>(
        "INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ($1, $2, $3, $4, now()) RETURNING id",
        [email, `${role} user`, hash, scopedRoles[role] ?? role],
      );
      if (role in scopedRoles) await pool.query("INSERT INTO user_departments (user_id, department_id) VALUES ($1, $2)", [u.rows[0]!.id, support]);
    }
    await pool.query(
      // The ingest key is unbound and may register agents and customers, like the first key of a new organization.
      `INSERT INTO api_keys (name, prefix, hash, source, scopes, may_create_entities) VALUES
       ('ingest', $1, $2, 'matrix-ingest', '{ingest}', true), ('read', $3, $4, 'matrix-read', '{read}', false)`,
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
    scopedFinance: await cookie("scopedFinance"),
    anon: {},
    badKey: { authorization: `Bearer ${BAD_KEY}` },
    ingestKey: { authorization: `Bearer ${INGEST_KEY}` },
    readKey: { authorization: `Bearer ${READ_KEY}` },
  };
}
