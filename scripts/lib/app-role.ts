// The database role of the app's requests. The migration 20261201060000_app_role creates the role
// agentledger_app (no DDL, INSERT/SELECT only on audit_logs) and grants it data access; the tables stay owned by
// the role that migrates. Where this project manages the cluster (embedded, tests, demo with a single owner URL),
// these helpers let agentledger_app log in with a password generated once and kept in the data folder.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { dataDir } from "./common";

export const APP_ROLE = "agentledger_app";

/** The app role's password: generated once per data folder (mode 600), never in git. */
export function appRolePassword(): string {
  const file = path.join(dataDir, "app-db-password");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    // wx: when two processes race, the second fails here and reads the first one's password below.
    try {
      fs.writeFileSync(file, randomBytes(24).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** `ownerUrl` (same server and database) with the app role's credentials. */
export function appRoleUrl(ownerUrl: string): string {
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = appRolePassword();
  return u.toString();
}

/** A connection string with its password hidden, for logs and banners. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Lets agentledger_app log in with the data folder's password, connecting as `ownerUrl` (which needs CREATEROLE
 * or superuser), and returns the app's URL. Does nothing when it can already log in. Roles are cluster-wide and
 * parallel processes may do this at once: a concurrent create or update is retried.
 */
export async function enableAppLogin(ownerUrl: string): Promise<string> {
  const url = appRoleUrl(ownerUrl);
  if (await canConnect(url)) return url;
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const password = owner.escapeLiteral(appRolePassword());
    for (let attempt = 1; ; attempt++) {
      try {
        const exists = await owner.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
        await owner.query(`${exists.rowCount ? "ALTER" : "CREATE"} ROLE ${APP_ROLE} LOGIN PASSWORD ${password}`);
        break;
      } catch (err) {
        // 42710 duplicate role, 23505 unique violation, XX000 "tuple concurrently updated": another process won.
        const code = (err as { code?: string }).code;
        if (attempt >= 5 || !["42710", "23505", "XX000"].includes(code ?? "")) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  } finally {
    await owner.end();
  }
  return url;
}

/**
 * Why `appUrl` is not a safe role for the app's requests (it owns the tables, is a superuser, or may rewrite the
 * audit log), or null when it is. Run after migrations.
 */
export async function appRoleProblem(appUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ role: string; superuser: boolean; rewrite: boolean; ddl: boolean }>(
      `SELECT current_user AS role,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
              has_table_privilege('audit_logs', 'UPDATE') OR has_table_privilege('audit_logs', 'DELETE') OR has_table_privilege('audit_logs', 'TRUNCATE') AS rewrite,
              has_schema_privilege(current_schema(), 'CREATE') AS ddl`,
    );
    const r = rows[0]!;
    if (r.superuser) return `the role "${r.role}" is a superuser`;
    if (r.rewrite) return `the role "${r.role}" may update or delete audit log rows (it owns the tables, or was granted too much)`;
    if (r.ddl) return `the role "${r.role}" may create tables in the schema`;
    return null;
  } finally {
    await client.end();
  }
}
