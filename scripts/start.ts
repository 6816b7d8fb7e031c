// npm start | npm run dev | npm run build: database (embedded PostgreSQL unless DATABASE_URL is set),
// Prisma client, migrations, demo seed on an empty database, then Next.js.
import { DEMO_USERS } from "../prisma/demo-users";
import { baseEnv, buildIfChanged, generateIfChanged, loadDotEnv, nextAuthSecret, onShutdown, run, stopChildren } from "./lib/common";
import { redactUrl } from "./lib/app-role";
import { appDatabaseUrl, isEmpty, migrateDeploy, provideDatabase, seed } from "./lib/database";

const mode = process.argv[2] ?? "start";
if (!["start", "dev", "build"].includes(mode)) throw new Error(`usage: tsx scripts/start.ts [start|dev|build]`);

let shuttingDown = false;

async function main(): Promise<number> {
  loadDotEnv();
  const port = process.env.PORT ?? "3000";
  const db = await provideDatabase();
  // Stop order matters: the app first (it holds connections), then PostgreSQL.
  onShutdown(async () => {
    shuttingDown = true;
    await stopChildren();
    await db.stop();
  });
  try {
    await generateIfChanged();
    await migrateDeploy(db.ownerUrl);
    if (mode !== "build" && (await isEmpty(db.ownerUrl))) {
      console.log("empty database: seeding the demo data (prisma/seed.ts)");
      await seed(db.ownerUrl);
    }
    // Requests run as a role that owns nothing; the owner URL is for background maintenance only.
    const databaseUrl = await appDatabaseUrl(db);
    const env = baseEnv({
      DATABASE_URL: databaseUrl,
      DATABASE_OWNER_URL: db.ownerUrl,
      NEXTAUTH_SECRET: nextAuthSecret(),
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
      PORT: port,
    });
    if (mode === "build") return await buildIfChanged(env, true);
    if (mode === "start") {
      const code = await buildIfChanged(env);
      if (code !== 0) return code;
    }
    printBanner(port, redactUrl(databaseUrl));
    return await run("next", [mode, "-p", port], { env });
  } finally {
    await db.stop();
  }
}

function printBanner(port: string, databaseUrl: string) {
  const lines = [
    `AgentLedger: http://localhost:${port}`,
    `Database:    ${databaseUrl}`,
    "Demo logins:",
    ...DEMO_USERS.map((u) => `  ${u.role.padEnd(8)} ${u.email.padEnd(32)} ${u.password}`),
    "Ctrl-C stops the app and the embedded PostgreSQL.",
  ];
  console.log(`\n${lines.join("\n")}\n`);
}

main().then(
  (code) => {
    if (!shuttingDown) process.exit(code);
  },
  async (err: Error) => {
    console.error(err.message);
    await stopChildren();
    process.exit(1);
  },
);
