// Which address a request comes from, for sign-in limits. X-Forwarded-For is written by whoever sends the
// request, so it is believed only when the connection itself comes from a proxy listed in TRUSTED_PROXIES.
// Next.js does not tell a route handler the socket's address (`next start` only fills X-Forwarded-For from
// the socket when the client sent none), so instrumentation.ts stamps it into PEER_HEADER on every request.
import "server-only";
import type { EventEmitter } from "node:events";
import http from "node:http";
import net from "node:net";
import { env } from "@/lib/env";

/** Set on every incoming request from the socket (overwriting anything a client sent under that name). */
export const PEER_HEADER = "x-agentledger-peer";

const stamped = Symbol.for("agentledger.peerStamp");

/** Overwrites PEER_HEADER with the socket's remote address before Next.js sees the request (TCP servers). Idempotent. */
export function stampPeerAddresses(): void {
  const proto = http.Server.prototype as EventEmitter & { [stamped]?: true };
  if (proto[stamped]) return;
  proto[stamped] = true;
  const emit = proto.emit;
  // Node's HTTP server hands every parsed request to its listeners through emit("request", req, res).
  proto.emit = function (this: EventEmitter, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      const peer = req.socket.remoteAddress;
      // No address: a closed socket, or a server on a Unix socket. The latter is scripts/serve.mjs's Next process,
      // whose only client, the check process (also stamped here), forwards the header set from the client's socket.
      if (peer !== undefined) req.headers[PEER_HEADER] = peer;
      else if (typeof (this as http.Server).address() !== "string") req.headers[PEER_HEADER] = "";
    }
    return emit.call(this, event, ...args);
  };
}

/** "::ffff:10.0.0.1" and "10.0.0.1" are the same client. */
function normalize(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith("::ffff:") && net.isIPv4(a.slice(7)) ? a.slice(7) : a;
}

/** TRUSTED_PROXIES ("none", or comma-separated IPs and CIDRs, checked by lib/env.ts) as a lookup list. */
export function parseTrustedProxies(value: string): net.BlockList {
  const list = new net.BlockList();
  if (value.trim().toLowerCase() === "none") return list;
  for (const entry of value.split(",")) {
    const [ip = "", bits] = entry.trim().split("/");
    const type = net.isIPv4(ip) ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(bits), type);
  }
  return list;
}

let trusted: net.BlockList | undefined;

function isTrusted(address: string, list: net.BlockList): boolean {
  const family = net.isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * The address a request comes from: the socket's peer, unless that peer is a trusted proxy; then the
 * rightmost X-Forwarded-For entry that is not itself a trusted proxy (entries further left were written by
 * the client and prove nothing). "unknown" when the peer was not recorded.
 */
export function clientAddress(headers: HeaderSource, proxies: net.BlockList = (trusted ??= parseTrustedProxies(env().TRUSTED_PROXIES))): string {
  const peer = header(headers, PEER_HEADER);
  if (!peer) return "unknown";
  let address = normalize(peer);
  if (!isTrusted(address, proxies)) return address;
  const hops = (header(headers, "x-forwarded-for") ?? "").split(",").map(normalize).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    address = hops[i]!;
    if (!isTrusted(address, proxies)) break;
  }
  // A malformed entry is still a distinct string, but never longer than an address can be.
  return address.slice(0, 64);
}
