// npm run db:generate | db:migrate | db:seed [-- --events N]
// migrate and seed use DATABASE_URL, or start the embedded PostgreSQL for the duration of the command.
import { generateIfChanged, loadDotEnv, onShutdown } from "./lib/common";
import { migrateDeploy, provideDatabase, seed } from "./lib/database";

async function main() {
  loadDotEnv();
  const [command, ...rest] = process.argv.slice(2);
  if (command === "generate") return generateIfChanged();
  if (command !== "migrate" && command !== "seed") throw new Error("usage: tsx scripts/db.ts generate|migrate|seed [seed args]");
  const db = await provideDatabase();
  onShutdown(() => db.stop());
  try {
    await migrateDeploy(db.ownerUrl);
    if (command === "seed") await seed(db.ownerUrl, rest);
  } finally {
    await db.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
