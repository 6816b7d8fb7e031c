// npm start | npm run start:prod | npm run dev | npm run build: database (embedded PostgreSQL unless DATABASE_URL
// is set), Prisma client, migrations, then Next.js under a small supervisor.
// Modes: demo data is seeded only on the embedded database or with --demo; production mode (--production or
// AGENTLEDGER_MODE=production) validates its settings, never seeds, refuses demo data and bootstraps the first admin.
import { parseArgs } from "node:util";
import { DEMO_USERS } from "../prisma/demo-users";
import { env } from "../lib/env";
import { redactUrl } from "./lib/app-role";
import { baseEnv, buildIfChanged, current, dataDir, generateIfChanged, loadDotEnv, nextAuthSecret, onShutdown, run, serveCommand, stopChildren } from "./lib/common";
import { appDatabaseUrl, isEmpty, migrateDeploy, provideDatabase, seed, type AppDatabase } from "./lib/database";
import { demoRefusal, findDemoData, hasDemoData, isProductionMode, issueSetupLink, setupLinkMessage, userCount, withClient } from "./lib/production";
import { supervise } from "./lib/supervise";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { demo: { type: "boolean", default: false }, production: { type: "boolean", default: false }, "demo-events": { type: "string" } },
});
const mode = positionals[0] ?? "start";
if (!["start", "dev", "build"].includes(mode)) throw new Error("usage: tsx scripts/start.ts [start|dev|build] [--demo [--demo-events N]] [--production]");
if (values.production) process.env.AGENTLEDGER_MODE = "production";

let shuttingDown = false;

/** Production mode: every required setting present before anything else happens (lib/env.ts lists them). */
function checkProductionSettings() {
  if (values.demo) throw new Error("--demo cannot be combined with production mode: production never seeds demo data");
  env();
}

/** Production: refuse demo data, and on a database without users write the one-time setup link. */
async function prepareProduction(databaseUrl: string, baseUrl: string) {
  await withClient(databaseUrl, async (client) => {
    const demo = await findDemoData(client);
    if (hasDemoData(demo)) throw new Error(demoRefusal(demo, "npm run demo:remove -- --yes"));
    const file = await issueSetupLink(client, { dataDir, baseUrl });
    if (file) console.log(setupLinkMessage(file, "npm run admin:create --"));
  });
}

/** Demo/trial: seed the demo on an empty embedded database (or anywhere with --demo); otherwise say how to add an admin. */
async function prepareTrial(db: AppDatabase) {
  if ((db.embedded || values.demo) && (await isEmpty(db.ownerUrl))) {
    console.log("empty database: seeding the demo data (prisma/seed.ts)");
    await seed(db.ownerUrl, values["demo-events"] ? ["--events", values["demo-events"]] : []);
    return;
  }
  if ((await withClient(db.ownerUrl, userCount)) === 0) {
    console.log(
      "This database has no users and no demo data was seeded (demo data goes only into the embedded database, or with `npm start -- --demo`).\n" +
        "Create the first admin: npm run admin:create -- --email you@example.com",
    );
  }
}

async function main(): Promise<number> {
  loadDotEnv();
  if (isProductionMode()) checkProductionSettings();
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
    const baseUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
    if (mode !== "build") {
      if (isProductionMode()) await prepareProduction(db.ownerUrl, baseUrl);
      else await prepareTrial(db);
    }
    // Requests run as a role that owns nothing; the owner URL is for background maintenance only.
    const databaseUrl = await appDatabaseUrl(db);
    const env = baseEnv({ DATABASE_URL: databaseUrl, DATABASE_OWNER_URL: db.ownerUrl, NEXTAUTH_SECRET: nextAuthSecret(), NEXTAUTH_URL: baseUrl, PORT: port });
    if (mode === "build") return await buildIfChanged(env, true);
    if (mode === "start") {
      const code = await buildIfChanged(env);
      if (code !== 0) return code;
    }
    await printBanner(port, databaseUrl);
    const command = mode === "dev" ? (["next", ["dev", "-p", port]] as const) : serveCommand(["-p", port]);
    return await supervise(() => startApp(command[0], [...command[1]], env), { isShuttingDown: () => shuttingDown });
  } finally {
    await db.stop();
  }
}

/** Starts the app and prints its process id (operators and the crash tests use it). */
function startApp(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const exited = run(cmd, args, { env });
  console.log(`[start] app process ${[...current].at(-1)?.pid} started`);
  return exited;
}

async function printBanner(port: string, databaseUrl: string) {
  const demo = await withClient(databaseUrl, findDemoData);
  const lines = [
    `AgentLedger: http://localhost:${port}${isProductionMode() ? " (production mode)" : ""}`,
    `Database:    ${redactUrl(databaseUrl)}`,
    ...(demo.users.length ? ["Demo logins:", ...DEMO_USERS.map((u) => `  ${u.role.padEnd(8)} ${u.email.padEnd(32)} ${u.password}`)] : []),
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
