// node demo-remove.js [--yes] (npm run demo:remove in the release): removes the seed's demo data.
import { demoRemoveCommand } from "../lib/demo-remove";
import { connect, runMain } from "./common";

runMain(async () => {
  const client = await connect();
  try {
    await demoRemoveCommand(client, process.argv.includes("--yes"), "npm run demo:remove -- --yes");
  } finally {
    await client.end();
  }
});
