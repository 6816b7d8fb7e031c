// The production server (scripts/serve.mjs, Next plus the fast routes) of the already-built app (.next) on a free port, for tests over real HTTP.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { enableAppLogin } from "../../scripts/lib/app-role";
import { baseEnv, root, serveCommand } from "../../scripts/lib/common";

export interface AppServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  baseUrl: string;
  /** The server process (scripts/serve.mjs); see processTreeRssBytes for children. */
  pid: number;
  stop(): Promise<void>;
}

export interface AppServerOptions {
  /** The owner's URL (a test database); the server's requests run as the app role on the same database. */
  databaseUrl: string;
  /** Extra or overriding environment for the server (e.g. API_RATE_LIMIT_PER_MINUTE). */
  env?: Record<string, string>;
  /** How long to wait for GET /api/health to answer 200. */
  timeoutMs?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the built app against `databaseUrl` (as the app role, like production) and resolves once /api/health answers 200. */
export async function startAppServer({ databaseUrl, env = {}, timeoutMs = 60_000 }: AppServerOptions): Promise<AppServer> {
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("no build in .next: run `npm run build` (npm test builds first)");
  const appUrl = await enableAppLogin(databaseUrl);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(...serveCommand(["-p", String(port), "-H", "127.0.0.1"]), {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: baseEnv({
      NODE_ENV: "production",
      DATABASE_URL: appUrl,
      DATABASE_OWNER_URL: databaseUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(32).toString("hex"),
      NEXTAUTH_URL: baseUrl,
      LOG_LEVEL: "warn",
      // Tests' fake providers and receivers listen on plain http on 127.0.0.1 (a test may override it with "false").
      OUTBOUND_ALLOW_LOOPBACK_HTTP: "true",
      ...env,
    }),
  });
  // Kept for the error message if the server never becomes healthy, and echoed when it logs errors.
  let output = "";
  const collect = (d: Buffer) => {
    output = (output + d.toString()).slice(-8000);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", (d: Buffer) => {
    collect(d);
    process.stderr.write(`[app ${port}] ${d}`);
  });
  let exited = false;
  const closed = new Promise<void>((resolve) => child.on("close", () => ((exited = true), resolve())));

  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await closed;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited before becoming healthy:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return { baseUrl, pid: child.pid!, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`GET ${baseUrl}/api/health did not answer 200 within ${timeoutMs} ms:\n${output}`);
}

/** Resident memory of a process and all its descendants (Linux /proc), in bytes; 0 once it is gone. */
export function processTreeRssBytes(pid: number): number {
  let total = 0;
  try {
    total = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/) : []) total += processTreeRssBytes(Number(child));
    }
  } catch {
    // exited meanwhile
  }
  return total;
}
