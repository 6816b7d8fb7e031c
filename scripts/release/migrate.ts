// node migrate.js (npm run db:migrate in the release): applies pending migrations to DATABASE_URL,
// then creates the coming months' event partitions.
import { ensureUsagePartitionsWith } from "../../lib/partitions";
import { migrate } from "../lib/migrate";
import { connect, migrationsDir, runMain } from "./common";

runMain(async () => {
  const client = await connect();
  try {
    await migrate(client, migrationsDir);
    await ensureUsagePartitionsWith(client);
  } finally {
    await client.end();
  }
});
