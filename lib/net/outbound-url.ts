// The outbound-URL policy, pure part: which URLs and addresses the server may send requests to (connectors,
// webhooks, SSO issuers). https to public addresses only; plain http and loopback only with the test setting
// OUTBOUND_ALLOW_LOOPBACK_HTTP. Used at save time (zod), at start (env) and at connect time (lib/net/outbound.ts).
// No "server-only" here: lib/env.ts imports it, and it holds no secrets.
import { isIPv4, isIPv6 } from "node:net";

/** Why an IPv4 address (4 octets) is not a public destination, or null when it is. */
function v4Category([a, b, c]: number[]): string | null {
  if (a === 0) return "unspecified";
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b! >= 64 && b! <= 127) return "shared (CGNAT)";
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link-local (cloud metadata)";
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return "reserved";
  if ((a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return "reserved";
  if (a === 192 && b === 88 && c === 99) return "reserved";
  if (a! >= 224) return "multicast or reserved";
  return null;
}

function v4Octets(ip: string): number[] {
  return ip.split(".").map(Number);
}

/** Eight 16-bit words of an IPv6 address (with an optional dotted IPv4 tail). */
function v6Words(ip: string): number[] {
  let text = ip.toLowerCase().split("%")[0]!;
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = v4Octets(dotted[1]!);
    text = text.slice(0, -dotted[1]!.length) + `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((w) => parseInt(w, 16));
}

function embeddedV4(hi: number, lo: number): number[] {
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
}

/** Why an IP address is not a public destination ("loopback", "private", ...), or null when it is. */
export function addressCategory(ip: string): string | null {
  if (isIPv4(ip)) return v4Category(v4Octets(ip));
  if (!isIPv6(ip.split("%")[0]!)) return "not an IP address";
  const w = v6Words(ip);
  const zeroPrefix = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeroPrefix(7) && w[7] === 0) return "unspecified";
  if (zeroPrefix(7) && w[7] === 1) return "loopback";
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address they carry.
  if (zeroPrefix(5) && w[5] === 0xffff) return v4Category(embeddedV4(w[6]!, w[7]!));
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return v4Category(embeddedV4(w[6]!, w[7]!));
  if (w[0] === 0x2002) return v4Category(embeddedV4(w[1]!, w[2]!)); // 6to4
  if ((w[0]! & 0xfe00) === 0xfc00) return "unique-local (includes cloud metadata fd00:ec2::254)";
  if ((w[0]! & 0xffc0) === 0xfe80 || (w[0]! & 0xffc0) === 0xfec0) return "link-local";
  if ((w[0]! & 0xff00) === 0xff00) return "multicast";
  if (w[0] === 0x2001 && (w[1] === 0x0db8 || w[1] === 0)) return "reserved"; // documentation, Teredo
  // Only global unicast (2000::/3) is public; ::/96, 100::/64 and the rest are reserved or unassigned.
  if ((w[0]! & 0xe000) !== 0x2000) return "reserved";
  return null;
}

/**
 * Whether a resolved address may be connected to: null if yes, else why not. Loopback passes only when the
 * test setting allows it; plain http only ever goes to loopback.
 */
export function addressRefusal(ip: string, protocol: "http:" | "https:" | "any", allowLoopbackHttp: boolean): string | null {
  const category = addressCategory(ip);
  if (category === "loopback" && allowLoopbackHttp) return null;
  if (category) return `the address is ${category}`;
  if (protocol === "http:") return "plain http is refused (https only)";
  return null;
}

function hostIp(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, "");
  return isIPv4(bare) || isIPv6(bare) ? bare : null;
}

/**
 * Checks a URL's shape before it is stored or used: https only (http only to loopback with the test setting),
 * no credentials in the URL, no literal non-public address. Returns why it is refused, or null.
 * Host names are resolved and checked again at connect time, since DNS can change between now and then.
 */
export function outboundUrlRefusal(value: string, allowLoopbackHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "not a valid URL";
  }
  if (url.username || url.password) return "must not contain credentials";
  const ip = hostIp(url.hostname);
  const host = url.hostname.toLowerCase();
  const loopbackName = host === "localhost" || host.endsWith(".localhost");
  const loopback = loopbackName || (ip !== null && addressCategory(ip) === "loopback");
  if (url.protocol === "http:") {
    if (allowLoopbackHttp && loopback) return null;
    return "must be an https URL";
  }
  if (url.protocol !== "https:") return "must be an https URL";
  if (loopback) return allowLoopbackHttp ? null : "must not point to this machine (loopback)";
  if (ip) {
    const refusal = addressRefusal(ip, "https:", allowLoopbackHttp);
    if (refusal) return `must not point to an internal address: ${refusal}`;
  }
  return null;
}
