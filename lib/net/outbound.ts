// Every request the server sends to a configured URL (connectors, Salesforce, webhooks) goes through
// outboundFetch: the URL is checked (lib/net/outbound-url.ts), and every address the host name resolves to is
// checked again inside the socket's DNS lookup, so a name that changes between the check and the connection
// (DNS rebinding) still cannot reach an internal address. Redirects are never followed; the response body is
// capped. SSO (openid-client) gets the same lookup through next-auth's httpOptions.
import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { z } from "zod";
import { env } from "@/lib/env";
import { addressRefusal, outboundUrlRefusal } from "./outbound-url";

/** A request refused by the outbound policy; its message never contains a response body. */
export class OutboundPolicyError extends Error {
  readonly code = "OUTBOUND_REFUSED";
}

export type OutboundOverrides = {
  /** DNS resolution (tests inject one that maps a name to an internal address). */
  lookup?: LookupFunction;
  /** Default: OUTBOUND_ALLOW_LOOPBACK_HTTP. */
  allowLoopbackHttp?: boolean;
  /** Trusted CA certificates in place of the system's (tests with a self-signed server). */
  ca?: string | Buffer;
};

export type OutboundInit = OutboundOverrides & {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Larger responses are cut off with an error. */
  maxResponseBytes?: number;
};

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** A URL the server will send requests to, checked when it is saved: a 400 naming the field and the reason. */
export function outboundUrlSchema() {
  return z
    .url()
    .max(500)
    .superRefine((value, ctx) => {
      const refusal = outboundUrlRefusal(value, env().OUTBOUND_ALLOW_LOOPBACK_HTTP);
      if (refusal) ctx.addIssue({ code: "custom", message: refusal });
    });
}

/** A DNS lookup that refuses the connection when any resolved address is outside the policy. */
export function guardedLookup(protocol: "http:" | "https:" | "any", allowLoopbackHttp: boolean, resolve: LookupFunction = dns.lookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }]) as dns.LookupAddress[];
      for (const { address } of list) {
        const refusal = addressRefusal(address, protocol, allowLoopbackHttp);
        if (refusal) return callback(new OutboundPolicyError(`refused by the outbound policy: ${hostname} resolves to a forbidden address (${refusal})`), "");
      }
      if (!list.length) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: "ENOTFOUND" }), "");
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** fetch-like: the policy applied, no redirects followed (a 3xx comes back as it is), the body buffered up to a cap. */
export async function outboundFetch(url: string, init: OutboundInit = {}): Promise<Response> {
  const allow = init.allowLoopbackHttp ?? env().OUTBOUND_ALLOW_LOOPBACK_HTTP;
  const refusal = outboundUrlRefusal(url, allow);
  if (refusal) throw new OutboundPolicyError(`refused by the outbound policy: the URL ${refusal}`);
  const target = new URL(url);
  const protocol = target.protocol as "http:" | "https:";
  const max = init.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const send = protocol === "https:" ? https.request : http.request;
  return new Promise<Response>((resolve, reject) => {
    const req = send(target, {
      method: init.method ?? "GET",
      headers: init.headers,
      // A fresh connection per request: a pooled socket must not outlive the check that allowed it.
      agent: false,
      lookup: guardedLookup(protocol, allow, init.lookup),
      ...(init.ca ? { ca: init.ca } : {}),
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      res.on("data", (chunk: Buffer) => {
        total += chunk.length;
        if (total > max) {
          req.destroy(new Error(`response larger than ${max} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", reject);
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 599) return reject(new Error(`unexpected HTTP status ${status}`));
        const headers = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const body = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks, total);
        resolve(new Response(body, { status, statusText: res.statusMessage, headers }));
      });
    });
    req.end(init.body);
  });
}

/** A short, fixed reason for an HTTP status, for stored errors (the response body is never stored). */
export function statusReason(status: number): string {
  if (status >= 300 && status < 400) return "redirect not followed (outbound policy)";
  if (status === 401 || status === 403) return "not authorized: check the key or secret";
  if (status === 404) return "not found: check the URL";
  if (status === 408 || status === 504) return "timed out";
  if (status === 429) return "rate limited";
  if (status >= 500) return "server error";
  return "request refused";
}

/** Why a request failed, without any text from the response (a JSON parse error could quote it). */
export function failureReason(error: unknown): string {
  if (error instanceof OutboundPolicyError) return error.message;
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return "timed out";
  if (error instanceof SyntaxError) return "the response is not valid JSON";
  return e.code ?? e.cause?.code ?? "network error";
}
