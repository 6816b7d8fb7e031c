// A new organization with no data and no users: the organization row and a one-time setup link, nothing else.
// The Getting started journey (e2e/getting-started.spec.ts) creates its first admin through that link, against a
// second app server on such a database.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { dataDir } from "../../scripts/lib/common";
import { createSetupToken } from "../../scripts/lib/production";

export const EMPTY_ORG_ADMIN = { email: "admin@new-org.test", password: "first-admin-password-for-e2e" };
/** Where the spec finds the setup token (production prints only a file's path too; the token never goes to logs). */
export const EMPTY_ORG_SETUP_TOKEN_FILE = path.join(dataDir, "e2e-empty-setup-token");

export async function seedEmptyOrganization(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'New Company', 'USD', 'UTC', now())");
    const token = await createSetupToken(client);
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(EMPTY_ORG_SETUP_TOKEN_FILE, token, { mode: 0o600 });
  } finally {
    await client.end();
  }
}
