// npm run admin:create -- --email EMAIL [--name NAME] [--organization NAME]
// Creates an admin in the app's database (DATABASE_URL, else the embedded cluster). On a terminal it asks for the
// password; otherwise (or when left empty) it generates one and prints it once. Refuses an existing email.
import pg from "pg";
import { loadDotEnv } from "./lib/common";
import { provideDatabase } from "./lib/database";
import { adminCreateCommand, parseAdminArgs } from "./lib/admin";

async function main() {
  loadDotEnv();
  parseAdminArgs(process.argv.slice(2)); // usage errors before a database is started
  const database = await provideDatabase();
  const client = new pg.Client({ connectionString: database.ownerUrl });
  try {
    await adminCreateCommand(process.argv.slice(2), async () => (await client.connect(), client));
  } finally {
    await client.end().catch(() => undefined);
    await database.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
