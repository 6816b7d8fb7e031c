// Vitest setupFiles (integration project): runs before each test file's imports, so lib/db.ts
// connects to this file's own database, cloned from the migrated template and dropped afterwards.
import { afterAll, inject } from "vitest";
import { createTestDatabase, dropTestDatabase } from "./db";

const databaseUrl = await createTestDatabase(inject("templateDatabaseUrl"));
process.env.DATABASE_URL = databaseUrl;
process.env.NEXTAUTH_SECRET ??= "integration-tests-secret-0123456789abcdef";

afterAll(async () => {
  // Close the app's pool first, so dropping the database does not kill (and log) live connections.
  const mod = (await import("@/lib/db").catch(() => undefined)) as { disconnectDb?: () => Promise<void> } | undefined;
  await mod?.disconnectDb?.();
  await dropTestDatabase(databaseUrl);
});
