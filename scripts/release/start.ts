// node start.js (npm start in the release): production mode always. Validates the settings, applies migrations
// (unless MIGRATE_ON_START=off), refuses demo data, writes the first-admin setup link on an empty database, then
// runs serve.mjs, as `npm start` does (SIGTERM: it stops accepting, finishes requests, exits 143).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { env } from "../../lib/env";
import { ensureUsagePartitionsWith } from "../../lib/partitions";
import { appRoleProblem } from "../lib/app-role";
import { migrate } from "../lib/migrate";
import { demoRefusal, findDemoData, hasDemoData, issueSetupLink, setupLinkMessage } from "../lib/production";
import { connect, dataDir, migrationsDir, releaseDir, runMain } from "./common";

runMain(async () => {
  const started = Date.now();
  Object.assign(process.env, { AGENTLEDGER_MODE: "production", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });
  env(); // every required setting, or one message listing what is missing
  // Requests never run as the tables' owner (README, "Database roles"): migrations use DATABASE_OWNER_URL.
  if (!process.env.DATABASE_OWNER_URL) {
    throw new Error('Production needs two database URLs: DATABASE_OWNER_URL (owns the tables, runs migrations) and DATABASE_URL (the app\'s requests, a member of agentledger_app). See README, "Database roles".');
  }
  const client = await connect();
  try {
    if (process.env.MIGRATE_ON_START !== "off") await migrate(client, migrationsDir);
    // The coming months' event partitions (also a daily job); with MIGRATE_ON_START=off too.
    await ensureUsagePartitionsWith(client);
    const problem = await appRoleProblem(process.env.DATABASE_URL!);
    if (problem) throw new Error(`DATABASE_URL must be the app's own role, not the owner: ${problem}. See README, "Database roles".`);
    const demo = await findDemoData(client);
    if (hasDemoData(demo)) throw new Error(demoRefusal(demo, "npm run demo:remove -- --yes   (in this directory)"));
    const file = await issueSetupLink(client, { dataDir, baseUrl: env().NEXTAUTH_URL! });
    if (file) console.log(setupLinkMessage(file, "npm run admin:create --"));
  } finally {
    await client.end();
  }
  console.log(`starting the server on ${process.env.HOSTNAME ?? "0.0.0.0"}:${process.env.PORT ?? 3000} (checks took ${Date.now() - started} ms)`);
  // The production server of the source tree, scripts/serve.mjs (copied beside this file by build-release.ts): budget
  // checks in their own process, Next in a second one. It serves the directory it runs in, with the configuration
  // Next's standalone server.js would pass (the build's own, in required-server-files.json).
  process.chdir(releaseDir);
  const { config } = JSON.parse(fs.readFileSync(path.join(releaseDir, ".next/required-server-files.json"), "utf8")) as { config: unknown };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  await import(pathToFileURL(path.join(releaseDir, "serve.mjs")).href);
});
