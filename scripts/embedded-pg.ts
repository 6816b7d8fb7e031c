// tsx scripts/embedded-pg.ts [--test]: runs the embedded PostgreSQL in the foreground until Ctrl-C,
// for psql sessions or running several commands against one server. Other scripts reuse it while it runs.
import path from "node:path";
import { dataDir, onShutdown } from "./lib/common";
import { startEmbeddedPg } from "./lib/embedded-pg";

async function main() {
  const test = process.argv.includes("--test");
  const cluster = await startEmbeddedPg({
    dataDir: path.join(dataDir, test ? "pg-test" : "pg"),
    port: Number(test ? (process.env.TEST_PG_PORT ?? 54339) : (process.env.EMBEDDED_PG_PORT ?? 54329)),
    database: test ? "agentledger_test" : "agentledger",
  });
  console.log(`DATABASE_URL=${cluster.url(test ? "agentledger_test" : "agentledger")}\nCtrl-C stops it.`);
  onShutdown(() => cluster.stop());
  setInterval(() => {}, 1 << 30);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
