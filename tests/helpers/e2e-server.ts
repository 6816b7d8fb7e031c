// Playwright's webServer: a dedicated e2e database (template clone + demo seed), the built app
// (built first if sources changed), then the server (scripts/serve.mjs) on TEST_E2E_PORT until SIGTERM. A second one on
// TEST_E2E_EMPTY_PORT (default TEST_E2E_PORT + 1) serves a new organization with no data (e2e/getting-started.spec.ts).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { appRoleUrl } from "../../scripts/lib/app-role";
import { baseEnv, buildIfChanged, dataDir, databaseName, onShutdown, run, serveCommand, stopChildren, withDatabase } from "../../scripts/lib/common";
import { ensureTemplate, provideTestServer, seedDemo } from "./db";
import { seedEmptyOrganization } from "./empty-org";

/** The e2e SMTP peer's port: TEST_E2E_SMTP_PORT, else TEST_E2E_PORT + 1000 (so parallel e2e runs do not share it). */
function e2eSmtpPort(): string {
  return process.env.TEST_E2E_SMTP_PORT ?? String(Number(process.env.TEST_E2E_PORT ?? "3100") + 1000);
}

async function main() {
  const port = process.env.TEST_E2E_PORT ?? "3100";
  const server = await provideTestServer();
  onShutdown(async () => {
    await stopChildren();
    await server.stop();
  });
  try {
    const template = await ensureTemplate(server.baseUrl);
    // A fixed name, recreated per run, so a failed run's data can still be inspected afterwards.
    const name = `${databaseName(server.baseUrl)}_e2e`;
    const admin = new pg.Client({ connectionString: withDatabase(server.baseUrl, "postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(databaseName(template))}`);
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(`${name}_empty`)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(`${name}_empty`)} TEMPLATE ${admin.escapeIdentifier(databaseName(template))}`);
    await admin.end();
    const emptyDatabaseUrl = withDatabase(server.baseUrl, `${name}_empty`);
    await seedEmptyOrganization(emptyDatabaseUrl);
    const databaseUrl = withDatabase(server.baseUrl, name);
    await seedDemo(databaseUrl, ["--events", process.env.TEST_E2E_EVENTS ?? "20000"]);

    // The app runs as the app role (ensureTemplate let it log in); the seed above and the specs' SQL use the owner.
    const env = baseEnv({
      DATABASE_URL: appRoleUrl(databaseUrl),
      DATABASE_OWNER_URL: databaseUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(32).toString("hex"),
      NEXTAUTH_URL: `http://localhost:${port}`,
      NODE_ENV: "production",
      // The SSO spec's identity provider listens on plain http on 127.0.0.1.
      OUTBOUND_ALLOW_LOOPBACK_HTTP: "true",
      // Mail goes to the SMTP server e2e/month-end.spec.ts runs on this port (nothing listens otherwise: sends fail).
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: e2eSmtpPort(),
      SMTP_STARTTLS: "off",
      SMTP_FROM: "AgentLedger <billing@agentledger.test>",
    });
    if ((await buildIfChanged(env)) !== 0) throw new Error("next build failed");
    console.log(`e2e app: http://localhost:${port} on database ${name}`);
    // Specs compare what the pages show with SQL over the same database.
    fs.writeFileSync(path.join(dataDir, "e2e-database-url"), databaseUrl);
    const emptyPort = process.env.TEST_E2E_EMPTY_PORT ?? String(Number(port) + 1);
    // Whichever server stops first ends the run (and the other with it).
    const code = await Promise.race([
      run(...serveCommand(["-p", port]), { env }),
      run(...serveCommand(["-p", emptyPort]), { env: { ...env, DATABASE_URL: emptyDatabaseUrl, NEXTAUTH_URL: `http://localhost:${emptyPort}` } }),
    ]);
    await stopChildren();
    await server.stop();
    process.exit(code);
  } catch (err) {
    console.error((err as Error).message);
    await server.stop();
    process.exit(1);
  }
}

void main();
