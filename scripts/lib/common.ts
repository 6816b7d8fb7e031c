// Shared by the npm scripts: paths, child processes, change stamps, secrets.
import { spawn, type SpawnOptions } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The repo root: npm, vitest and playwright all run from it (or below it). */
export const root = (() => {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "prisma.config.ts"))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
})();
export const dataDir = path.resolve(root, process.env.DATA_DIR ?? ".data");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

/** Env for every child: no telemetry, and a file for Prisma's engine-library lookup (the WASM engine never loads it). */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? path.join(root, "package.json"),
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    ...extra,
  };
}

/** `node scripts/serve.mjs …`: the production server (Next.js plus the routes it answers itself), as `next start` takes its arguments. */
export function serveCommand(args: string[]): [string, string[]] {
  return [process.execPath, [path.join(root, "scripts/serve.mjs"), ...args]];
}

/** Runs a local binary (node_modules/.bin) or command with inherited output; resolves with the exit code. */
export function run(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<number> {
  const file = fs.existsSync(bin(cmd)) ? bin(cmd) : cmd;
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: root, stdio: "inherit", env: baseEnv(), ...opts });
    current.add(child);
    child.on("error", (err) => {
      console.error(`${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on("close", (code, signal) => {
      current.delete(child);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

export async function runOrThrow(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<void> {
  const code = await run(cmd, args, opts);
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${code}`);
}

/** Children still running, so a signal handler can stop them. */
export const current = new Set<ReturnType<typeof spawn>>();

function walk(p: string, out: string[]) {
  if (!fs.existsSync(p)) return;
  if (fs.statSync(p).isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      if (name === "node_modules" || name === "generated" || name.startsWith(".")) continue;
      walk(path.join(p, name), out);
    }
  } else out.push(p);
}

/** Content hash of files and folders (relative to the repo root); missing ones are skipped. */
export function hashPaths(paths: string[]): string {
  const h = createHash("sha256");
  const files: string[] = [];
  for (const p of paths) walk(path.join(root, p), files);
  for (const f of files) h.update(path.relative(root, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  return h.digest("hex");
}

/** Stamps in the data folder remember what was generated/built from which inputs. */
export const stamp = {
  read: (name: string) => (fs.existsSync(path.join(dataDir, name)) ? fs.readFileSync(path.join(dataDir, name), "utf8").trim() : ""),
  write: (name: string, value: string) => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, name), value + "\n");
  },
};

/** Inputs of `next build`: tests, scripts and migrations are not part of the app bundle. */
const buildInputs = () => [
  "app", "components", "lib", "hooks", "styles", "public", "prisma/schema.prisma", "package-lock.json", "package.json", "tsconfig.json",
  ...fs.readdirSync(root).filter((f) => /^(next\.config|postcss\.config|tailwind\.config|proxy|middleware|instrumentation)[.-]/.test(f)),
];

/** `prisma generate` when the schema changed since the last generate (or the client is missing). */
export async function generateIfChanged(): Promise<void> {
  const hash = hashPaths(["prisma/schema.prisma", "package-lock.json"]);
  if (stamp.read("prisma-generate.hash") === hash && fs.existsSync(path.join(root, "lib/generated/prisma/client.ts"))) return;
  await runOrThrow("prisma", ["generate"]);
  stamp.write("prisma-generate.hash", hash);
}

/** Content hash of the app's build inputs (what the next-build.hash stamp records). */
export const buildHash = () => hashPaths(buildInputs());

/** `next build` when the app's sources changed since the last successful build. `env` must carry DATABASE_URL and NEXTAUTH_SECRET (lib/env.ts checks them at build time). */
export async function buildIfChanged(env: NodeJS.ProcessEnv, force = false): Promise<number> {
  const hash = buildHash();
  if (!force && stamp.read("next-build.hash") === hash && fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
    console.log("next build: sources unchanged since the last build, reusing .next");
    return 0;
  }
  const code = await run("next", ["build"], { env });
  if (code === 0) stamp.write("next-build.hash", hash);
  return code;
}

/** NEXTAUTH_SECRET from the environment, or one generated once and kept in the data folder (never in git). */
export function nextAuthSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(dataDir, "nextauth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url") + "\n", { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** Reads `.env` if present; variables already in the environment win. */
export function loadDotEnv(): void {
  const file = path.join(root, ".env");
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** Calls `handler` once on SIGINT/SIGTERM/SIGHUP, then exits with 130/143. */
export function onShutdown(handler: () => Promise<void>): void {
  let busy = false;
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      if (busy) return;
      busy = true;
      handler().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
    });
  }
}

/** Stops running children: SIGTERM to their process group (detached) or themselves, SIGKILL after `graceMs`. */
export async function stopChildren(graceMs = 10_000): Promise<void> {
  await Promise.all(
    [...current].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("close", () => resolve());
          const kill = (sig: NodeJS.Signals) => {
            try {
              process.kill(-child.pid!, sig);
            } catch {
              child.kill(sig);
            }
          };
          kill("SIGTERM");
          setTimeout(() => kill("SIGKILL"), graceMs).unref();
        }),
    ),
  );
}
