// Routes the production server's check process (scripts/serve.mjs) answers without Next's router: registered in a
// process-wide map when Next loads the route module there, so they run Next's build of the code (the route's own
// options, the process's budget and key caches). Next's routing and web Request/Response cost about 1 ms of CPU per
// request, several times the budget check itself (target ≥ 5,000 checks/s on 2 cores).
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { collectCapped } from "./body";
import type { PlainAnswer, PlainRequest } from "./route";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const registry = ((globalThis as { [key: symbol]: unknown })[Symbol.for("agentledger.fastRoutes")] ??= new Map()) as Map<string, NodeHandler>;

/** From the next request on, the server answers `method path` (exact, without parameters) with `answer` (a fastRoute). */
export function registerFastRoute(method: string, path: string, answer: (req: PlainRequest) => Promise<PlainAnswer>): void {
  registry.set(`${method} ${path}`, async (req, res) => {
    const out = await answer({
      method,
      path,
      header: (name) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(", ") : value;
      },
      readBody: (bytes, setting) => collectCapped(req, bytes, setting),
    });
    res.writeHead(out.status, { ...out.headers, "content-length": Buffer.byteLength(out.body) });
    res.end(out.body);
  });
}
