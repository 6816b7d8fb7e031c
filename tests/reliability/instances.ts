// N instances of AgentLedger on one database, any of which a test can SIGKILL and restart: the harness for
// multi-instance faults (jobs today; notifications, budget guardrails and scale later).
//   kind "app":    the built app (scripts/serve.mjs) (HTTP + the job worker from instrumentation.ts), via spawnApp.
//   kind "worker": tests/reliability/job-worker.ts, the same lib/jobs worker in a plain Node process, with the
//                  test-only jobs of ./jobs.ts registered. Starts in ~2 s instead of ~10, needs no build, and keeps
//                  test jobs out of the production build. Use "app" when the test needs HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { appRoleUrl } from "../../scripts/lib/app-role";
import { baseEnv, root } from "../../scripts/lib/common";
import { NEXTAUTH_SECRET, logDir, serverOutput, sleep, spawnApp } from "./helpers";

export type InstanceKind = "app" | "worker";
export type Instance = { index: number; pid: number; child: ChildProcess; exited: Promise<unknown>; baseUrl?: string };

async function spawnWorker(databaseUrl: string, label: string, env: Record<string, string>): Promise<Instance & { index: -1 }> {
  // node itself (tsx as a loader, not its CLI, which would run the script in a child that a SIGKILL misses).
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/reliability/job-worker.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: baseEnv({ NODE_ENV: "production", DATABASE_URL: appRoleUrl(databaseUrl), DATABASE_OWNER_URL: databaseUrl, NEXTAUTH_SECRET, LOG_LEVEL: "debug", ...env }),
  });
  fs.mkdirSync(logDir, { recursive: true });
  const file = fs.createWriteStream(path.join(logDir, `${label}.log`), { flags: "a" });
  let ready = false;
  const keep = (d: Buffer) => {
    serverOutput.push(d.toString());
    file.write(d);
    if (d.toString().includes("reliability worker ready")) ready = true;
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let done = false;
  const exited = new Promise((resolve) => child.on("close", (code, signal) => { done = true; file.end(); resolve({ code, signal }); }));
  const deadline = Date.now() + 60_000;
  while (!ready) {
    if (done) throw new Error(`worker ${label} exited before it was ready:\n${serverOutput.slice(-20).join("")}`);
    if (Date.now() > deadline) { child.kill("SIGKILL"); throw new Error(`worker ${label} not ready within 60 s`); }
    await sleep(50);
  }
  return { index: -1, pid: child.pid!, child, exited };
}

export class Instances {
  readonly list: Instance[] = [];
  constructor(private opts: { databaseUrl: string; kind: InstanceKind; label: string; env?: Record<string, string> }) {}

  /** Starts instance `index` (again, after a kill: an app keeps its port). */
  async start(index: number): Promise<Instance> {
    const label = `${this.opts.label}-${index}`;
    const env = { JOBS_POLL_SECONDS: "0.5", JOBS_MAINTENANCE_SECONDS: "1", ...this.opts.env };
    let instance: Instance;
    if (this.opts.kind === "app") {
      const app = await spawnApp({ databaseUrl: this.opts.databaseUrl, port: this.list[index]?.baseUrl ? Number(new URL(this.list[index].baseUrl!).port) : undefined, env, label });
      instance = { index, pid: app.child.pid!, child: app.child, exited: app.exited, baseUrl: app.baseUrl };
    } else {
      instance = { ...(await spawnWorker(this.opts.databaseUrl, label, env)), index };
    }
    this.list[index] = instance;
    return instance;
  }

  async startAll(n: number): Promise<void> {
    await Promise.all(Array.from({ length: n }, (_, i) => this.start(i)));
  }

  /** The instance whose process has this pid (e.g. the one a job ran on). */
  byPid(pid: number): Instance | undefined {
    return this.list.find((i) => i.pid === pid);
  }

  /** SIGKILL: no handler runs, connections drop, running jobs stay "active" until they expire. */
  async kill(index: number): Promise<void> {
    const instance = this.list[index]!;
    instance.child.kill("SIGKILL");
    await instance.exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.list.map(async (i) => {
      if (i.child.exitCode !== null || i.child.signalCode !== null) return;
      i.child.kill("SIGTERM");
      const timer = setTimeout(() => i.child.kill("SIGKILL"), 10_000);
      await i.exited;
      clearTimeout(timer);
    }));
  }
}
