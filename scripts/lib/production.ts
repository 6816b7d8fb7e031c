// Production mode's start-up checks and the first-admin bootstrap, on plain `pg` so the release's
// bundled start script (scripts/release/start.ts) uses the same code as `npm start`.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { hashSecret } from "../../lib/auth/secret-hash";

export const DEMO_EMAIL_DOMAIN = "@demo.agentledger.dev";
/** How long a setup link stays valid. */
export const SETUP_TOKEN_TTL_MS = 60 * 60 * 1000;
/** The file (in the data directory) that holds the setup link; only its path is ever printed. */
export const SETUP_LINK_FILE = "setup-link.txt";

export const isProductionMode = () => process.env.AGENTLEDGER_MODE === "production";

export async function withClient<T>(databaseUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export type DemoData = { users: string[]; demoOrganization: boolean };

/** Demo accounts (the seed's users) and the seed's marker on the organization. */
export async function findDemoData(client: pg.Client): Promise<DemoData> {
  const users = await client.query<{ email: string }>("SELECT email FROM users WHERE lower(email) LIKE $1 ORDER BY email", [`%${DEMO_EMAIL_DOMAIN}`]);
  const org = await client.query<{ demo: boolean }>("SELECT demo FROM organizations WHERE demo");
  return { users: users.rows.map((r) => r.email), demoOrganization: (org.rowCount ?? 0) > 0 };
}

export const hasDemoData = (d: DemoData) => d.users.length > 0 || d.demoOrganization;

/** The refusal production mode prints, naming what was found and the command that removes it. */
export function demoRefusal(d: DemoData, removeCommand: string): string {
  const found = [
    ...(d.demoOrganization ? ["the demo organization created by the seed (organizations.demo = true)"] : []),
    ...(d.users.length ? [`demo accounts: ${d.users.join(", ")}`] : []),
  ];
  return [
    "production mode refuses to start: this database holds demo data whose passwords are public.",
    ...found.map((f) => `  - ${f}`),
    `Remove it with: ${removeCommand}   (or point DATABASE_URL at another database)`,
  ].join("\n");
}

/**
 * Deletes the demo data. A demo organization means the whole database came from the seed (it refuses a
 * non-empty database), so every application table is emptied; otherwise only the demo accounts and the API
 * keys they created go. Returns what it did, in words.
 */
export async function removeDemoData(client: pg.Client): Promise<string> {
  const found = await findDemoData(client);
  if (!hasDemoData(found)) return "no demo data found: nothing to do";
  await client.query("BEGIN");
  try {
    if (found.demoOrganization) {
      const tables = await client.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'",
      );
      await client.query(`TRUNCATE ${tables.rows.map((t) => client.escapeIdentifier(t.tablename)).join(", ")} RESTART IDENTITY CASCADE`);
      await client.query("COMMIT");
      return `removed the demo organization and all of its data (${tables.rowCount} tables emptied, migrations kept)`;
    }
    const ids = (await client.query<{ id: number }>("SELECT id FROM users WHERE lower(email) LIKE $1", [`%${DEMO_EMAIL_DOMAIN}`])).rows.map((r) => r.id);
    await client.query("DELETE FROM api_keys WHERE created_by_id = ANY($1)", [ids]);
    await client.query("DELETE FROM users WHERE id = ANY($1)", [ids]);
    await client.query(
      "INSERT INTO audit_logs (actor, action, entity, after) VALUES ('system', 'user.demo_remove', 'user', $1)",
      [JSON.stringify({ emails: found.users })],
    );
    await client.query("COMMIT");
    return `removed ${ids.length} demo account(s): ${found.users.join(", ")}`;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

export async function userCount(client: pg.Client): Promise<number> {
  return Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM users")).rows[0]!.n);
}


/** Stores a new setup token (hashed, valid one hour) and returns the raw token. Earlier unused tokens die. */
export async function createSetupToken(client: pg.Client, ttlMs = SETUP_TOKEN_TTL_MS): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await client.query("UPDATE setup_tokens SET expires_at = now() WHERE used_at IS NULL AND expires_at > now()");
  await client.query("INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, now() + $2 * interval '1 millisecond')", [hashSecret(token), ttlMs]);
  return token;
}

/**
 * On a database without users: a fresh one-time setup link written to a 0600 file in `dataDir`. Returns the
 * file's path (print that, never the link: logs must stay free of secrets), or null when users exist.
 */
export async function issueSetupLink(client: pg.Client, opts: { dataDir: string; baseUrl: string }): Promise<string | null> {
  if ((await userCount(client)) > 0) return null;
  const token = await createSetupToken(client);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.join(opts.dataDir, SETUP_LINK_FILE);
  fs.rmSync(file, { force: true });
  const link = new URL(`/setup?token=${token}`, opts.baseUrl).toString();
  fs.writeFileSync(file, `${link}\n`, { mode: 0o600 });
  return file;
}

/** What to print once the setup link exists. */
export function setupLinkMessage(file: string, adminCreate: string): string {
  return [
    "No users yet: open the one-time setup link to create the first admin (valid 1 hour, dead after use).",
    `  The link is in ${file} (readable by this user only), e.g.: cat ${file}`,
    `  Or create the admin on the command line: ${adminCreate} --email you@example.com`,
  ].join("\n");
}
