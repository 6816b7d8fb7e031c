// npm run check:lighthouse — Lighthouse best-practices and accessibility on the main pages of the built app, signed in
// as the demo admin, against a small seeded database. Exits 1 listing every failing audit.
// Usage: tsx scripts/lighthouse.ts [--keep]   (--keep leaves the JSON reports in .data/lighthouse/)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { demoUser } from "../prisma/demo-users";
import { startAppServer, type AppServer } from "../tests/helpers/app-server";
import { ensureTemplate, provideTestServer, seedDemo } from "../tests/helpers/db";
import { baseEnv, buildIfChanged, dataDir, databaseName, root, withDatabase } from "./lib/common";

const PAGES = ["/login", "/", "/usage", "/workload", "/roi", "/allocation", "/invoices", "/getting-started"];
const CATEGORIES = ["best-practices", "accessibility"];
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const outDir = path.join(dataDir, "lighthouse");

type Audit = { id: string; title: string; score: number | null; scoreDisplayMode: string; errorMessage?: string; details?: { items?: Record<string, unknown>[] } };
type Report = { categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>; audits: Record<string, Audit>; runtimeError?: { message: string } };

async function signIn(baseUrl: string): Promise<string> {
  const user = demoUser("admin");
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email: user.email, password: user.password, json: "true" }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in as ${user.email} failed (${res.status})`);
  return [...cookies, session].join("; ");
}

/** One Lighthouse run (its own headless Chromium), the JSON report back. */
async function audit(url: string, cookie: string | null, file: string): Promise<Report> {
  const args = [
    url,
    "--quiet",
    "--output=json",
    `--output-path=${file}`,
    `--only-categories=${CATEGORIES.join(",")}`,
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync",
    // Desktop: the app is a desktop tool, and mobile emulation's throttling only slows the run.
    "--preset=desktop",
    ...(cookie ? [`--extra-headers=${JSON.stringify({ Cookie: cookie })}`] : []),
  ];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/lighthouse"), args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: baseEnv({ CHROME_PATH: chromium }) });
    child.on("close", (c) => resolve(c ?? 1));
  });
  if (code !== 0 || !fs.existsSync(file)) throw new Error(`lighthouse ${url} exited with ${code}`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as Report;
}

/** Audits that count toward a category and did not pass (score below 1, or the audit itself errored). */
function failures(report: Report): string[] {
  const out: string[] = [];
  if (report.runtimeError) out.push(`runtime error: ${report.runtimeError.message}`);
  for (const [category, { auditRefs }] of Object.entries(report.categories)) {
    for (const ref of auditRefs) {
      const a = report.audits[ref.id];
      if (!a || ["notApplicable", "manual", "informative"].includes(a.scoreDisplayMode)) continue;
      if (a.scoreDisplayMode === "error") out.push(`${category} › ${a.id}: audit errored: ${a.errorMessage ?? "?"}`);
      else if (a.score !== null && a.score < 1) {
        const items = (a.details?.items ?? []).slice(0, 5).map((i) => JSON.stringify(i).slice(0, 300));
        out.push([`${category} › ${a.id}: ${a.title}`, ...items.map((i) => `    ${i}`)].join("\n"));
      }
    }
  }
  return out;
}

async function main() {
  const server = await provideTestServer();
  let app: AppServer | undefined;
  try {
    const template = await ensureTemplate(server.baseUrl);
    const name = `${databaseName(server.baseUrl)}_lighthouse`;
    const admin = new pg.Client({ connectionString: withDatabase(server.baseUrl, "postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(databaseName(template))}`);
    await admin.end();
    const databaseUrl = withDatabase(server.baseUrl, name);
    await seedDemo(databaseUrl, ["--events", "5000"]);
    const buildEnv = baseEnv({ DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(32).toString("hex"), NODE_ENV: "production" });
    if ((await buildIfChanged(buildEnv)) !== 0) throw new Error("next build failed");
    app = await startAppServer({ databaseUrl });
    const cookie = await signIn(app.baseUrl);
    fs.mkdirSync(outDir, { recursive: true });

    const failed: string[] = [];
    for (const page of PAGES) {
      const file = path.join(outDir, `${page === "/" ? "overview" : page.slice(1).replaceAll("/", "_")}.json`);
      const report = await audit(`${app.baseUrl}${page}`, page === "/login" ? null : cookie, file);
      const scores = Object.entries(report.categories).map(([k, c]) => `${k} ${c.score === null ? "?" : Math.round(c.score * 100)}`);
      const problems = failures(report);
      console.log(`${problems.length ? "FAIL" : "ok  "} ${page}  (${scores.join(", ")})`);
      for (const p of problems) console.log(`  ${p}`);
      failed.push(...problems.map((p) => `${page}: ${p.split("\n")[0]}`));
      if (!process.argv.includes("--keep")) fs.rmSync(file, { force: true });
    }
    console.log(failed.length ? `\nLighthouse: ${failed.length} failing audit(s):\n${failed.map((f) => `  ${f}`).join("\n")}` : `\nLighthouse: no failing audit on ${PAGES.length} pages`);
    process.exitCode = failed.length ? 1 : 0;
  } finally {
    await app?.stop();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
