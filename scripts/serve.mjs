// The production server: `node scripts/serve.mjs [DIR] [-p PORT] [-H HOST]`, in place of `next start` (npm start, the
// release's start script, the tests, the benches). Two processes, so that budget checks and the rest of the app
// (ingestion above all) do not share one event loop, i.e. one core:
//   - the check process (this one) owns the port. It answers the fast routes (lib/api/fast-routes.ts: POST
//     /api/v1/budget-checks) itself, without Next's router, and forwards every other request to the Next process;
//   - the Next process (this script with --next-socket, forked) serves everything else on a private Unix socket and
//     runs the job worker.
// Both load the same build through Next's custom-server API: the route module registers its fast handler as Next
// loads it, so the check runs one implementation (lib/api/route.ts fastRoute/withRoute) with its own budget cache,
// kept current by LISTEN/NOTIFY and by the Next process's ingestion (relayed here before the batch is acknowledged).
// If either process dies the other follows, so a supervisor restarts the pair. Plain JavaScript, run by node alone.
import { fork } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import next from "next";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" }, "next-socket": { type: "string" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME;
const dir = positionals[0] ?? process.cwd();
process.env.NODE_ENV ??= "production";

/** Registered by lib/api/fast-routes.ts: "METHOD /path" → (req, res) => Promise<void>. */
const fastRoutes = (globalThis[Symbol.for("agentledger.fastRoutes")] ??= new Map());
/** lib/budgets/service.ts's relay: what the Next process tells the check process before it answers (see there). */
const relay = (globalThis[Symbol.for("agentledger.budgetRelay")] ??= {});
/** The routes the check process answers; until the route module has registered its handler, its own Next does. */
const FAST = new Set(["POST /api/v1/budget-checks"]);

const app = next({ dev: false, dir, hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();

// As `next start`: SIGTERM/SIGINT stop accepting connections, let in-flight requests finish, close Next, exit 143/130.
// The check process does this for the pair: only once it has closed (every request it forwarded is answered) does it
// tell the Next process to stop. The Next process ignores the signals, which a process group or a systemd unit
// also sends it, except that instrumentation.ts stops its job worker on SIGTERM.
function onStop(server, afterClose) {
  let stopping = false;
  for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]]) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      new Promise((resolve) => server.close(resolve))
        .then(afterClose)
        .then(() => app.close())
        .catch(console.error)
        .finally(() => process.exit(code));
    });
  }
}

if (values["next-socket"]) {
  // The Next process. (instrumentation.ts starts the job worker here and stops it on SIGTERM itself.)
  const socket = values["next-socket"];
  await app.prepare();
  // Each message is acknowledged once the check process has applied it.
  const waiting = new Map();
  let sent = 0;
  const tell = (message) =>
    new Promise((resolve) => {
      const id = ++sent;
      waiting.set(id, resolve);
      process.send({ ...message, id }, (error) => error && resolve()); // the check process is gone: so is this one
    });
  process.on("message", (m) => {
    waiting.get(m?.ack)?.();
    waiting.delete(m?.ack);
  });
  relay.spendWritten = (rows) => tell({ budgetSpend: rows });
  relay.configChanged = () => tell({ budgetConfig: true });
  const server = http.createServer((req, res) => void handle(req, res));
  // Longer than the check process's idle timeout for its pooled connections, so that it never reuses one being closed.
  server.keepAliveTimeout = 60_000;
  server.listen(socket, () => process.send?.("ready"));
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => {});
  process.on("message", (m) => {
    if (m === "stop") server.close(() => void app.close().catch(console.error).finally(() => process.exit(0)));
  });
  // The check process is gone (even SIGKILLed): nothing can reach this one any more; its socket folder goes too.
  process.on("disconnect", () => {
    fs.rmSync(path.dirname(socket), { recursive: true, force: true });
    process.exit(1);
  });
} else {
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "agentledger-"));
  const socket = path.join(socketDir, "next.sock");
  const child = fork(fileURLToPath(import.meta.url), [dir, "-p", String(port), ...(hostname ? ["-H", hostname] : []), "--next-socket", socket], { stdio: "inherit" });
  let stopping = false;
  const childExited = new Promise((resolve) => child.once("exit", resolve));
  child.once("exit", (code, signal) => {
    fs.rmSync(socketDir, { recursive: true, force: true });
    if (stopping) return;
    console.error(`the Next process exited (${signal ?? code}); stopping`);
    process.exit(1);
  });
  const childReady = new Promise((resolve) => child.once("message", resolve)); // "ready"
  child.on("message", async (m) => {
    if (!m?.id) return;
    try {
      if (m.budgetSpend) relay.applySpend?.(m.budgetSpend);
      if (m.budgetConfig) await relay.reloadConfig?.();
    } catch (error) {
      console.error("budget relay failed", error); // e.g. the database is down: NOTIFY and the heartbeat catch up
    }
    child.send({ ack: m.id });
  });

  // This process runs no background jobs (the Next process does) and answers only the fast routes through Next.
  process.env.JOBS_WORKER = "off";
  await Promise.all([app.prepare(), childReady]);

  const upstream = new http.Agent({ keepAlive: true, timeout: 30_000 });
  const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "proxy-authorization", "proxy-authenticate"]);
  const endToEnd = (raw) => raw.flatMap((v, i) => (i % 2 === 0 && !HOP_BY_HOP.has(v.toLowerCase()) ? [v, raw[i + 1]] : []));

  function forward(req, res) {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    // What Next fills in from the client's connection (base-server.js), which the Next process no longer sees.
    // The client's address for sign-in limits is in instrumentation.ts's peer header, stamped in this process.
    headers["x-forwarded-host"] ??= req.headers.host ?? hostname;
    headers["x-forwarded-port"] ??= String(port);
    headers["x-forwarded-proto"] ??= "http";
    headers["x-forwarded-for"] ??= req.socket.remoteAddress;
    const out = http.request({ socketPath: socket, method: req.method, path: req.url, headers, agent: upstream }, (answer) => {
      res.writeHead(answer.statusCode, answer.statusMessage, endToEnd(answer.rawHeaders));
      answer.pipe(res);
      // Next answered before reading the whole body (an early 413) and reads no more of it: the upstream request
      // ends here, or the client's upload would stall until the keep-alive timeout resets its connection.
      answer.on("end", () => req.complete || out.destroy());
    });
    const dropRestOfBody = () => req.complete || req.unpipe(out).resume(); // read and dropped, so the connection can go on
    out.on("close", dropRestOfBody);
    out.on("error", (error) => {
      dropRestOfBody();
      if (res.writableEnded) return; // the answer is out already
      if (res.headersSent) return void res.destroy(error);
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "bad_gateway", message: "The app process did not answer" } }));
    });
    res.on("close", () => res.writableFinished || out.destroy()); // the client went away
    req.pipe(out);
  }

  const server = http.createServer((req, res) => {
    const query = req.url.indexOf("?");
    const route = `${req.method} ${query < 0 ? req.url : req.url.slice(0, query)}`;
    const fast = fastRoutes.get(route);
    if (!fast) return void (FAST.has(route) ? handle(req, res) : forward(req, res));
    fast(req, res).catch((error) => {
      // fastRoute answers every error itself; this is a broken connection or a bug.
      console.error("fast route failed", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "internal_error", message: "Internal error" } }));
    });
  });

  server.listen(port, hostname, () => {
    console.log(`▲ AgentLedger ready on http://${hostname ?? "localhost"}:${port}`);
    // Next loads a route's module on its first request: one unauthenticated request registers the fast routes.
    const self = !hostname || hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
    fetch(`http://${self}:${port}/api/v1/budget-checks`, { method: "POST" }).catch(() => {});
  });
  onStop(server, () => {
    stopping = true;
    child.send("stop");
    return childExited;
  });
}
