// npm run demo:remove [-- --yes]: deletes the seed's demo data (the demo organization and everything in the
// database, or only the @demo.agentledger.dev accounts when the organization is not the demo's). Without --yes it
// only says what it would remove. Uses DATABASE_URL, else the embedded cluster.
import pg from "pg";
import { loadDotEnv } from "./lib/common";
import { provideDatabase } from "./lib/database";
import { demoRemoveCommand } from "./lib/demo-remove";

async function main() {
  loadDotEnv();
  const database = await provideDatabase();
  const client = new pg.Client({ connectionString: database.ownerUrl });
  try {
    await client.connect();
    await demoRemoveCommand(client, process.argv.slice(2).includes("--yes"), "npm run demo:remove -- --yes");
  } finally {
    await client.end().catch(() => undefined);
    await database.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
