// `admin:create`: an admin account from the command line (first admin of a production database, or a
// recovery when nobody can sign in). Plain `pg` + bcrypt, so the release bundles the same code.
import { randomBytes } from "node:crypto";
import readline from "node:readline";
import { parseArgs } from "node:util";
import bcrypt from "bcryptjs";
import type pg from "pg";
import { DEMO_EMAIL_DOMAIN } from "./production";

export const ADMIN_CREATE_USAGE = "usage: admin:create --email EMAIL [--name NAME] [--organization NAME]";

export type AdminArgs = { email: string; name: string; organization: string };

export function parseAdminArgs(argv: string[]): AdminArgs {
  const { values } = parseArgs({ args: argv, options: { email: { type: "string" }, name: { type: "string" }, organization: { type: "string" } } });
  const email = values.email?.trim().toLowerCase() ?? "";
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`${ADMIN_CREATE_USAGE}\n(--email must be an email address)`);
  if (email.endsWith(DEMO_EMAIL_DOMAIN)) throw new Error(`${DEMO_EMAIL_DOMAIN} is reserved for demo accounts`);
  return { email, name: values.name?.trim() || email.split("@")[0]!, organization: values.organization?.trim() || "My organization" };
}

/** Asks twice on a terminal without echoing; returns null when stdin is not a terminal. */
export async function promptPassword(): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl);
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s) => write(s.startsWith(question) ? s : "");
      rl.question(question, (answer) => {
        rl.close();
        process.stdout.write("\n");
        resolve(answer);
      });
    });
  const first = await ask("Password (at least 12 characters, empty to generate one): ");
  if (first === "") return null;
  if (first.length < 12) throw new Error("the password must have at least 12 characters");
  if ((await ask("Repeat it: ")) !== first) throw new Error("the passwords differ");
  return first;
}

/** Creates the admin (and the organization row if the database has none), audited; refuses an existing email. */
export async function createAdmin(client: pg.Client, args: AdminArgs, password: string): Promise<number> {
  const hash = await bcrypt.hash(password, 12);
  await client.query("BEGIN");
  try {
    const exists = await client.query("SELECT 1 FROM users WHERE lower(email) = $1", [args.email]);
    if (exists.rowCount) throw new Error(`a user with the email ${args.email} already exists: nothing changed`);
    await client.query(
      "INSERT INTO organizations (id, name, updated_at) VALUES (1, $1, now()) ON CONFLICT (id) DO NOTHING",
      [args.organization],
    );
    const { rows } = await client.query<{ id: number }>(
      "INSERT INTO users (email, name, role, password_hash, updated_at) VALUES ($1, $2, 'admin', $3, now()) RETURNING id",
      [args.email, args.name, hash],
    );
    const id = rows[0]!.id;
    await client.query(
      "INSERT INTO audit_logs (actor, action, entity, entity_id, after) VALUES ('system', 'user.create', 'user', $1, $2)",
      [String(id), JSON.stringify({ id, email: args.email, name: args.name, role: "admin", via: "admin:create" })],
    );
    await client.query("COMMIT");
    return id;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** The whole command: parse, get a password (prompted, or generated and printed once), create. */
export async function adminCreateCommand(argv: string[], client: () => Promise<pg.Client>): Promise<void> {
  const args = parseAdminArgs(argv);
  const prompted = await promptPassword();
  const password = prompted ?? randomBytes(18).toString("base64url");
  const c = await client();
  const id = await createAdmin(c, args, password);
  console.log(`Created admin #${id} ${args.email} (${args.name}).`);
  if (!prompted) console.log(`Generated password (shown only now; sign in and change it, or store it safely):\n${password}`);
}
