// npm test: PostgreSQL for tests (embedded in .data/pg-test, or TEST_DATABASE_URL/DATABASE_URL whose
// database name contains "test" or "ci"), then prisma generate, typecheck, lint, next build, vitest
// (unit + integration) and Playwright. The last line is always `N passed, N failed`.
// `npm test -- --db-only` runs only what depends on the database (integration tests and Playwright without the axe
// and layout specs, building first if the sources changed): .ci/run uses it for its second database so the static
// checks run once.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort } from "../tests/helpers/app-server";
import { ensureTemplate, provideTestServer } from "../tests/helpers/db";
import { baseEnv, buildIfChanged, databaseName, dataDir, generateIfChanged, onShutdown, run, stopChildren, withDatabase } from "./lib/common";

const vitestJson = path.join(dataDir, "vitest-results.json");
const playwrightJson = path.join(dataDir, "playwright-results.json");

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { status: string; fullName: string; failureMessages: string[] }[] }[];
}

interface PlaywrightSuite {
  title: string;
  specs?: { title: string; file: string; line: number; ok: boolean; tests?: { status: string }[] }[];
  suites?: PlaywrightSuite[];
}

const dbOnly = process.argv.includes("--db-only");
const counts = { passed: 0, failed: 0 };
/** Names of the failed tests, repeated last so a CI log that keeps only its tail still shows them. */
const failures: string[] = [];
const flaky: string[] = [];
const steps: Record<string, "passed" | "failed" | "skipped"> = {};
const durations: Record<string, number> = {};

/** Runs one tier and remembers how long it took (printed at the end, so CI notes can quote them). */
async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    durations[name] = Date.now() - start;
    console.log(`=== ${name}: ${((Date.now() - start) / 1000).toFixed(1)} s ===`);
  }
}

function finish(extra?: string): never {
  const failedSteps = Object.entries(steps).filter(([, s]) => s !== "passed").map(([n, s]) => `${n} (${s})`);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, "test-summary.json"), JSON.stringify({ ...counts, steps, failures, flaky }, null, 2) + "\n");
  if (extra) console.log(extra);
  const tiers = Object.entries(durations).map(([n, ms]) => `${n} ${(ms / 1000).toFixed(0)} s`);
  if (tiers.length) console.log(`durations: ${tiers.join(", ")}`);
  if (failedSteps.length) console.log(`not passed: ${failedSteps.join(", ")}`);
  for (const name of flaky) console.log(`flaky: ${name}`);
  for (const name of failures) console.log(`failed: ${name}`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed > 0 || failedSteps.length > 0 ? 1 : 0);
}

/** A check without its own test count (typecheck, lint, build) counts as one failure when it fails. */
async function check(name: string, fn: () => Promise<number>): Promise<boolean> {
  console.log(`\n=== ${name} ===`);
  const code = await timed(name, fn).catch((err: Error) => (console.error(err.message), 1));
  steps[name] = code === 0 ? "passed" : "failed";
  if (code !== 0) counts.failed += 1;
  return code === 0;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** Runs a test runner and adds the counts from its JSON report; a crash without a report counts as one failure. */
async function runner(name: string, file: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, parse: (json: never) => { passed: number; failed: number }) {
  console.log(`\n=== ${name} ===`);
  fs.rmSync(file, { force: true });
  const code = await timed(name, () => run(cmd, args, { env }));
  const json = readJson<never>(file);
  const c = json ? parse(json) : { passed: 0, failed: 0 };
  if (code !== 0 && c.failed === 0) c.failed = 1;
  counts.passed += c.passed;
  counts.failed += c.failed;
  steps[name] = code === 0 ? "passed" : "failed";
}

async function main() {
  const server = await provideTestServer();
  onShutdown(async () => {
    await stopChildren();
    await server.stop();
    steps.interrupted = "failed";
    finish("interrupted");
  });
  const env = baseEnv({ DATABASE_URL: server.baseUrl, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(32).toString("hex") });
  try {
    await check("prisma generate", () => generateIfChanged().then(() => 0));
    if (!dbOnly) {
      await check("typecheck", async () => (await run("next", ["typegen"], { env })) || run("tsc", ["--noEmit"], { env }));
      await check("lint", () => run("eslint", ["."], { env }));
    }
    // The build gets its own migrated database: pages that read data at build time must not touch the template.
    const template = await ensureTemplate(server.baseUrl);
    const buildDb = withDatabase(server.baseUrl, `${databaseName(server.baseUrl)}_build`);
    await recreateFrom(buildDb, template);
    const built = await check("next build", () => buildIfChanged({ ...env, DATABASE_URL: buildDb }));
    await dropDb(buildDb);

    const projects = dbOnly ? ["--project", "integration"] : [];
    await runner("vitest", vitestJson, "vitest", ["run", ...projects, "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`], env,
      (j: VitestReport) => {
        for (const file of j.testResults) {
          const relative = path.relative(process.cwd(), file.name);
          const failed = file.assertionResults.filter((a) => a.status === "failed");
          for (const a of failed) failures.push(`${relative} › ${a.fullName}`);
          // Passed on its retry (CI only): counted as passed, named so the flake gets fixed.
          for (const a of file.assertionResults.filter((a) => a.status === "passed" && a.failureMessages.length)) {
            flaky.push(`${relative} › ${a.fullName}: ${(a.failureMessages[0] ?? "").split("\n")[0]}`);
          }
          if (file.status === "failed" && !failed.length) failures.push(`${relative}: ${(file.message ?? "did not load").split("\n")[0]}`);
        }
        return {
        passed: j.numPassedTests,
        // A file that fails to load has no failed tests of its own: count it once.
        failed: j.numFailedTests + j.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length,
        };
      });

    if (built) {
      // A free port unless pinned: other checkouts on this machine may be running their own e2e server.
      const e2eEnv = {
        ...env,
        TEST_E2E_PORT: process.env.TEST_E2E_PORT ?? String(await freePort()),
        // The second e2e server (an organization with no data, for the Getting started journey).
        TEST_E2E_EMPTY_PORT: process.env.TEST_E2E_EMPTY_PORT ?? String(await freePort()),
        ...(dbOnly ? { E2E_SKIP_STATIC: "1" } : {}),
      };
      await runner("playwright", playwrightJson, "playwright", ["test", "--pass-with-no-tests"], e2eEnv,
        (j: { stats: { expected: number; unexpected: number; flaky: number }; suites: PlaywrightSuite[] }) => {
          const walk = (suite: PlaywrightSuite): void => {
            for (const spec of suite.specs ?? []) {
              if (!spec.ok) failures.push(`e2e/${spec.file}:${spec.line} › ${spec.title}`);
              else if (spec.tests?.some((t) => t.status === "flaky")) flaky.push(`e2e/${spec.file}:${spec.line} › ${spec.title}`);
            }
            suite.suites?.forEach(walk);
          };
          j.suites.forEach(walk);
          return { passed: j.stats.expected + j.stats.flaky, failed: j.stats.unexpected };
        });
    } else {
      steps.playwright = "skipped";
      console.log("\n=== playwright: skipped, the build failed ===");
    }
  } finally {
    await server.stop();
  }
  finish();
}

async function admin(url: string, sql: (c: pg.Client) => string[]) {
  const c = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await c.connect();
  try {
    for (const q of sql(c)) await c.query(q);
  } finally {
    await c.end();
  }
}

const recreateFrom = (url: string, template: string) =>
  admin(url, (c) => [
    `DROP DATABASE IF EXISTS ${c.escapeIdentifier(databaseName(url))} WITH (FORCE)`,
    `CREATE DATABASE ${c.escapeIdentifier(databaseName(url))} TEMPLATE ${c.escapeIdentifier(databaseName(template))}`,
  ]);
const dropDb = (url: string) => admin(url, (c) => [`DROP DATABASE IF EXISTS ${c.escapeIdentifier(databaseName(url))} WITH (FORCE)`]);

main().catch(async (err: Error) => {
  console.error(err.message);
  await stopChildren();
  steps.setup = "failed";
  counts.failed += 1;
  finish();
});
