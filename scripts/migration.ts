// npm run db:migration -- <name> [--from <previous-schema.prisma>]
// Authors prisma/migrations/<UTC timestamp>_<name>/migration.sql by diffing the previous schema
// (git HEAD's prisma/schema.prisma unless --from is given) to the working one. `prisma migrate dev`
// cannot do this here (its WASM engine fails to introspect PostgreSQL), and `--from-migrations`
// would use the main database as its shadow. The new migration is then replayed, with all the
// others, into a scratch database to prove it applies.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { baseEnv, databaseName, loadDotEnv, root, withDatabase } from "./lib/common";
import { migrateDeploy, provideDatabase } from "./lib/database";

const migrationsDir = path.join(root, "prisma/migrations");

function previousSchema(fromArg: string | undefined): string | null {
  if (fromArg) return path.resolve(fromArg);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  // A migration folder not in HEAD means HEAD's schema is older than the migrations: diffing from it would repeat them.
  const committed = new Set(git("ls-tree", "--name-only", "HEAD", "prisma/migrations/").split("\n").map((p) => path.basename(p)));
  const pending = fs.readdirSync(migrationsDir).filter((d) => fs.statSync(path.join(migrationsDir, d)).isDirectory() && !committed.has(d));
  if (pending.length > 0) {
    throw new Error(`uncommitted migration(s) ${pending.join(", ")}: HEAD's schema predates them.\n` +
      `Commit them together with prisma/schema.prisma first, or pass --from <schema file as of the newest migration>.`);
  }
  let text: string;
  try {
    text = git("show", "HEAD:prisma/schema.prisma");
  } catch {
    return null; // no schema in HEAD: diff from empty
  }
  const file = path.join(os.tmpdir(), `agentledger-previous-${process.pid}.prisma`);
  fs.writeFileSync(file, text);
  return file;
}

function timestamp(): string {
  const now = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  // Keep folders strictly ordered even if the clock is behind the newest migration.
  const last = fs.readdirSync(migrationsDir).map((d) => d.slice(0, 14)).filter((d) => /^\d{14}$/.test(d)).sort().pop();
  return last && last >= now ? String(BigInt(last) + 1n) : now;
}

async function main() {
  loadDotEnv();
  const args = process.argv.slice(2);
  const fromIdx = args.indexOf("--from");
  const from = fromIdx >= 0 ? args.splice(fromIdx, 2)[1] : undefined;
  const name = args[0];
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: npm run db:migration -- <name in snake_case> [--from <previous schema.prisma>]");

  const prev = previousSchema(from);
  // The Prisma config connects its driver adapter even for a file-to-file diff, so a server must be up.
  const db = await provideDatabase();
  try {
    const diffArgs = ["migrate", "diff", ...(prev ? ["--from-schema-datamodel", prev] : ["--from-empty"]), "--to-schema-datamodel", "prisma/schema.prisma", "--script"];
    const sql = execFileSync(path.join(root, "node_modules/.bin/prisma"), diffArgs, { cwd: root, env: baseEnv({ DATABASE_URL: db.ownerUrl }), encoding: "utf8" });
    if (!/^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|COMMENT)/im.test(sql)) {
      console.log("prisma/schema.prisma has no changes since the previous schema: no migration written.");
      return;
    }
    const dir = path.join(migrationsDir, `${timestamp()}_${name}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`wrote ${path.relative(root, dir)}/migration.sql`);

    const scratch = withDatabase(db.ownerUrl, `${databaseName(db.ownerUrl)}_scratch_migration_check`.slice(0, 63));
    await admin(db.ownerUrl, (c, n) => c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`).then(() => c.query(`CREATE DATABASE ${n}`)), databaseName(scratch));
    try {
      await migrateDeploy(scratch);
      console.log("checked: all migrations, including the new one, apply to an empty database.");
    } finally {
      await admin(db.ownerUrl, (c, n) => c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`), databaseName(scratch));
    }
    console.log("Review the SQL, then run `npm run db:migrate` and commit the schema and the migration together.");
  } finally {
    if (prev && !from) fs.rmSync(prev, { force: true });
    await db.stop();
  }
}

async function admin(url: string, fn: (c: pg.Client, quotedName: string) => Promise<unknown>, name: string) {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    await fn(client, client.escapeIdentifier(name));
  } finally {
    await client.end();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
