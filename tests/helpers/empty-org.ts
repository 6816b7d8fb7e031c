// A new organization with no data: the organization row and one admin who can sign in, nothing else.
// The Getting started journey (e2e/getting-started.spec.ts) runs against a second app server on such a database.
import bcrypt from "bcryptjs";
import pg from "pg";

export const EMPTY_ORG_ADMIN = { email: "admin@new-org.test", password: "first-admin-password-for-e2e" };

export async function seedEmptyOrganization(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'New Company', 'USD', 'UTC', now())");
    await client.query("INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ($1, 'First Admin', $2, 'admin', now())", [
      EMPTY_ORG_ADMIN.email,
      await bcrypt.hash(EMPTY_ORG_ADMIN.password, 10),
    ]);
  } finally {
    await client.end();
  }
}
