// Shared by the release's entry points (bundled into release/*.js by scripts/build-release.ts): they run from the
// release directory with only Node.js, the two database URLs and the production settings.
import path from "node:path";
import pg from "pg";

/** The release directory: where the bundled script lives (server.js, prisma/migrations and .data sit beside it). */
export const releaseDir = __dirname;
export const migrationsDir = path.join(releaseDir, "prisma", "migrations");
/** Setup link file and other local state: DATA_DIR, else .data in the release directory. */
export const dataDir = path.resolve(releaseDir, process.env.DATA_DIR ?? ".data");

/** Migrations, the setup link and the admin scripts connect as the owner of the tables; requests use DATABASE_URL. */
export async function connect(): Promise<pg.Client> {
  const url = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_OWNER_URL is not set: the release needs the PostgreSQL connection string of the tables' owner");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Runs `main`; any error ends the process with its message and status 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
