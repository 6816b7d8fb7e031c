// The production server: `node scripts/serve.mjs [DIR] [-p PORT] [-H HOST]`, in place of `next start` (npm start, the
// tests, the benches). Next's documented custom-server API serves every request, except the routes that registered
// a fast handler (lib/api/fast-routes.ts: POST /api/v1/budget-checks), which are answered here without Next's router
// (about 1 ms of CPU per request). The handler is registered by the route module as Next loads it from the build, so
// both paths run one implementation (lib/api/route.ts fastRoute/withRoute) with one budget cache; until Next has
// loaded the route, Next answers it.
// Plain JavaScript so that it runs on node alone, like `next start`.
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME;
process.env.NODE_ENV ??= "production";

/** Registered by lib/api/fast-routes.ts: "METHOD /path" → (req, res) => Promise<void>. */
const fastRoutes = (globalThis[Symbol.for("agentledger.fastRoutes")] ??= new Map());

const app = next({ dev: false, dir: positionals[0] ?? process.cwd(), hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  const query = req.url.indexOf("?");
  const fast = fastRoutes.get(`${req.method} ${query < 0 ? req.url : req.url.slice(0, query)}`);
  if (!fast) return void handle(req, res);
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

// As `next start`: SIGTERM/SIGINT stop accepting connections, let in-flight requests finish, close Next, exit 143/130.
// (instrumentation.ts stops the job worker on SIGTERM itself.)
for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]]) {
  process.once(signal, () => server.close(() => void app.close().catch(console.error).finally(() => process.exit(code))));
}
