// `npm start` itself under faults, on its embedded PostgreSQL in a private data directory:
// 1. everything SIGKILLed at once (app, start script, postmaster), with postmaster.pid's PID then belonging to a
//    live unrelated process (as a zombie or a reused PID does): the next start recovers the cluster by itself and
//    the data is intact;
// 2. the app process dies 4 times in a row: the supervisor restarts it 3 times, then stops PostgreSQL cleanly
//    and exits 1 with a clear message.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, buildHash, dataDir, root } from "@/scripts/lib/common";
import { freePort } from "../helpers/app-server";
import { sleep } from "./helpers";

let tmp: string;
let pgPort: number;
let appPort: number;
const strays: ChildProcess[] = [];

type Start = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function npmStart(): Start {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/start.ts", "start", "--demo-events", "300"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: baseEnv({ DATABASE_URL: undefined, AGENTLEDGER_MODE: undefined, DATA_DIR: tmp, EMBEDDED_PG_PORT: String(pgPort), PORT: String(appPort), NEXTAUTH_URL: undefined }),
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(what: string, start: Start, ok: () => Promise<boolean> | boolean, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ok()) return;
    if (start.child.exitCode !== null) throw new Error(`npm start exited (${start.child.exitCode}) before ${what}:\n${start.output().slice(-4000)}`);
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}:\n${start.output().slice(-4000)}`);
}

const healthy = () => fetch(`http://127.0.0.1:${appPort}/api/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false);

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

const appPids = (start: Start) => [...start.output().matchAll(/\[start\] app process (\d+) started/g)].map((m) => Number(m[1]));
const pgDataDir = () => path.join(tmp, "pg");

async function snapshot() {
  const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${pgPort}/agentledger` });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT (SELECT count(*) FROM usage_events)::int AS events, (SELECT coalesce(sum(cost), 0)::text FROM usage_events) AS cost, (SELECT count(*) FROM users)::int AS users");
    return rows[0] as { events: number; cost: string; users: number };
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agentledger-start-"));
  // Run as root, the server runs as "postgres", which must reach the data folder's parent.
  fs.chmodSync(tmp, 0o755);
  // Stamps that make start reuse this checkout's Prisma client and its build in .next instead of rebuilding.
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("no build in .next: run `npm run build` first");
  fs.copyFileSync(path.join(dataDir, "prisma-generate.hash"), path.join(tmp, "prisma-generate.hash"));
  fs.writeFileSync(path.join(tmp, "next-build.hash"), `${buildHash()}\n`);
  pgPort = await freePort();
  appPort = await freePort();
});

afterAll(() => {
  for (const s of strays) s.kill("SIGKILL");
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("npm start under faults", () => {
  it("comes back by itself after app and PostgreSQL are SIGKILLed together, data intact", async () => {
    const first = npmStart();
    await waitFor("the app to answer", first, healthy);
    const before = await snapshot();
    expect(before.events).toBe(300);

    const postmaster = Number(fs.readFileSync(path.join(pgDataDir(), "postmaster.pid"), "utf8").split("\n")[0]);
    // Power loss: every process at once, no shutdown handler runs.
    process.kill(postmaster, "SIGKILL");
    process.kill(-first.child.pid!, "SIGKILL");
    await first.exited;
    // The dead postmaster's PID now "looks alive": give it to an unrelated live process, as PID reuse does. It must
    // run as the cluster's owner (as a zombie postmaster would), or pg_ctl's kill(pid, 0) gets EPERM and says "not running".
    const owner = fs.statSync(pgDataDir());
    const impostor = spawn("sleep", ["600"], { stdio: "ignore", uid: owner.uid, gid: owner.gid });
    strays.push(impostor);
    const pidFile = path.join(pgDataDir(), "postmaster.pid");
    const lines = fs.readFileSync(pidFile, "utf8").split("\n");
    lines[0] = String(impostor.pid);
    fs.writeFileSync(pidFile, lines.join("\n"));

    const second = npmStart();
    await waitFor("the app to answer after the crash", second, healthy);
    expect(second.output()).toContain("Removing the stale postmaster.pid");
    expect(second.output()).not.toContain("reusing the cluster already running");
    expect(await snapshot()).toEqual(before);

    process.kill(-second.child.pid!, "SIGINT");
    expect(await second.exited).toBe(130);
    expect(await accepts(pgPort)).toBe(false);
  }, 600_000);

  it("restarts a dying app 3 times within 5 minutes, then stops PostgreSQL and exits 1", async () => {
    const start = npmStart();
    await waitFor("the app to answer", start, healthy);
    for (let death = 1; death <= 4; death++) {
      await waitFor(`app process #${death}`, start, () => appPids(start).length >= death, 60_000);
      const pid = appPids(start)[death - 1]!;
      process.kill(pid, "SIGKILL");
      if (death < 4) await waitFor(`restart #${death}`, start, () => appPids(start).length > death, 60_000);
    }
    expect(await start.exited).toBe(1);
    expect(start.output()).toContain("the app process died 4 times within 5 minutes");
    expect(start.output()).toContain("PostgreSQL stopped");
    expect(appPids(start)).toHaveLength(4);
    expect(await accepts(pgPort)).toBe(false);
    expect(fs.existsSync(path.join(pgDataDir(), "postmaster.pid"))).toBe(false);
  }, 600_000);
});
