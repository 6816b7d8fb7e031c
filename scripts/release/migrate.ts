// node migrate.js (npm run db:migrate in the release): applies pending migrations to DATABASE_URL.
import { migrate } from "../lib/migrate";
import { connect, migrationsDir, runMain } from "./common";

runMain(async () => {
  const client = await connect();
  try {
    await migrate(client, migrationsDir);
  } finally {
    await client.end();
  }
});
