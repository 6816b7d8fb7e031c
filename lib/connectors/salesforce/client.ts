// Salesforce REST API client: OAuth 2.0 client-credentials or JWT bearer token, one re-authentication when the session
// expires mid-sync (401 INVALID_SESSION_ID), retries with backoff on 5xx and REQUEST_LIMIT_EXCEEDED, SOQL
// queries following nextRecordsUrl, describe, and sObject Collections upsert.
// Requests go through the outbound policy; stored errors carry Salesforce's error codes, never its messages.
import "server-only";
import { createPrivateKey, createSign } from "node:crypto";
import { OutboundPolicyError, failureReason, outboundFetch, statusReason } from "@/lib/net/outbound";
import type { RetryOptions } from "../http";

/** Error codes from a response are kept only when they look like codes, so no free text is stored. */
const code = (value: unknown): string | null => (typeof value === "string" && /^[A-Za-z_]{1,64}$/.test(value) ? value : null);

export class SalesforceError extends Error {
  constructor(message: string, readonly code: string | null = null) {
    super(message);
  }
}

export type Credentials = {
  instanceUrl: string;
  clientId: string;
  /** The consumer secret, or for the JWT bearer flow the PEM private key. */
  clientSecret: string;
  apiVersion: string;
  jwt?: { username: string; audience: string };
  /** Data 360 reads: Connect REST (`/ssot/query-sql`, the core token) or Query API V2 on the tenant (a Data 360 token from the exchange). */
  queryApi?: "connect" | "v2";
};

export const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** OAuth 2.0 JWT bearer assertion (RFC 7523) as Salesforce wants it: RS256, iss = consumer key, sub = username, exp within 3 minutes. */
export function jwtAssertion(clientId: string, jwt: { username: string; audience: string }, privateKeyPem: string, now = Date.now()): string {
  const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const claims = b64url(JSON.stringify({ iss: clientId, sub: jwt.username, aud: jwt.audience, exp: Math.floor(now / 1000) + 180 }));
  const signature = createSign("RSA-SHA256").update(`${head}.${claims}`).sign(createPrivateKey(privateKeyPem));
  return `${head}.${claims}.${b64url(signature)}`;
}
export type SfRecord = Record<string, unknown> & { attributes?: { type: string; url?: string } };
export type QueryPage = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: SfRecord[] };
export type DescribeField = { name: string; type: string };
export type UpsertResult = { id?: string; success: boolean; created?: boolean; errors: { statusCode?: string; message?: string; fields?: string[] }[] };

function backoff(attempt: number, options: RetryOptions): number {
  const exponential = options.baseDelayMs * 2 ** attempt;
  return Math.min(exponential / 2 + Math.random() * (exponential / 2), options.maxDelayMs);
}

type Session = { token: string; instanceUrl: string };

export class SalesforceClient {
  private session: Session | null = null;
  /** The Data 360 tenant's token and URL (Query API V2), from exchanging the core token. */
  private tenant: Session | null = null;
  /** Token requests made; the tests assert a refresh happened. */
  authentications = 0;
  exchanges = 0;
  /** The org's id (00D…), from the token response's identity URL (…/id/<orgId>/<userId>). */
  orgId: string | null = null;

  constructor(private readonly creds: Credentials, private readonly retry: RetryOptions) {}

  get queryApi(): "connect" | "v2" {
    return this.creds.queryApi ?? "connect";
  }

  private get base(): string {
    return this.creds.instanceUrl.replace(/\/+$/, "");
  }

  async authenticate(): Promise<void> {
    this.authentications++;
    let form: URLSearchParams;
    try {
      form = this.creds.jwt
        ? new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: jwtAssertion(this.creds.clientId, this.creds.jwt, this.creds.clientSecret) })
        : new URLSearchParams({ grant_type: "client_credentials", client_id: this.creds.clientId, client_secret: this.creds.clientSecret });
    } catch {
      throw new SalesforceError("Salesforce JWT bearer: the stored private key is not a usable PEM private key", "invalid_private_key");
    }
    let res: Response;
    try {
      res = await outboundFetch(`${this.base}/services/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: form.toString(),
        timeoutMs: this.retry.timeoutMs,
      });
    } catch (error) {
      throw new SalesforceError(`Salesforce token request failed: ${failureReason(error)}`);
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof body.access_token !== "string") {
      const oauthError = code(body.error);
      throw new SalesforceError(`Salesforce authentication failed: ${oauthError ?? statusReason(res.status)} (HTTP ${res.status})`, oauthError ?? "auth_failed");
    }
    const instanceUrl = typeof body.instance_url === "string" && body.instance_url ? body.instance_url : this.base;
    this.orgId = typeof body.id === "string" ? (/\/id\/(00D[A-Za-z0-9]{12,15})\//.exec(body.id)?.[1] ?? null) : null;
    this.session = { token: body.access_token, instanceUrl: instanceUrl.replace(/\/+$/, "") };
  }

  /**
   * Data 360 token exchange: the core access token for a tenant token (`POST /services/a360/token`,
   * grant_type urn:salesforce:grant-type:external:cdp). The answer's instance_url is the tenant's host.
   */
  private async exchange(): Promise<void> {
    this.exchanges++;
    for (let renewed = false; ; renewed = true) {
      // A 401 here means the Salesforce token expired: renew it once and exchange again.
      if (!this.session || renewed) await this.authenticate();
      const form = new URLSearchParams({ grant_type: "urn:salesforce:grant-type:external:cdp", subject_token: this.session!.token, subject_token_type: "urn:ietf:params:oauth:token-type:access_token" });
      let res: Response;
      try {
        res = await outboundFetch(`${this.session!.instanceUrl}/services/a360/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body: form.toString(), timeoutMs: this.retry.timeoutMs });
      } catch (error) {
        throw new SalesforceError(`Data 360 token exchange failed: ${failureReason(error)}`);
      }
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.status === 401 && !renewed) continue;
      if (!res.ok || typeof body.access_token !== "string" || typeof body.instance_url !== "string" || !body.instance_url) {
        const oauthError = code(body.error);
        throw new SalesforceError(`Data 360 token exchange failed: ${oauthError ?? statusReason(res.status)} (HTTP ${res.status})`, oauthError ?? "exchange_failed");
      }
      const host = body.instance_url.replace(/\/+$/, "");
      this.tenant = { token: body.access_token, instanceUrl: /^https?:\/\//.test(host) ? host : `https://${host}` };
      return;
    }
  }

  /** A REST call; `path` is relative to the instance ("/services/data/..."). */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.send<T>("core", method, path, body);
  }

  /** A call to the Data 360 tenant (Query API V2) with the exchanged token; `path` is relative to the tenant ("/api/v2/..."). */
  tenantRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.send<T>("tenant", method, path, body);
  }

  private async send<T>(target: "core" | "tenant", method: string, path: string, body?: unknown): Promise<T> {
    // Paths (including the server's nextRecordsUrl) are appended to the instance URL: a path that does not
    // start with "/" could change the host ("@evil.example/...").
    if (!path.startsWith("/")) throw new SalesforceError("Salesforce returned a path outside the instance");
    let refreshed = false;
    let last: SalesforceError | undefined;
    for (let attempt = 0; attempt < this.retry.attempts; attempt++) {
      if (target === "core" && !this.session) await this.authenticate();
      if (target === "tenant" && !this.tenant) await this.exchange();
      const session = target === "core" ? this.session! : this.tenant!;
      let retryable: boolean;
      try {
        const res = await outboundFetch(session.instanceUrl + path, {
          method,
          headers: { authorization: `Bearer ${session.token}`, accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          timeoutMs: this.retry.timeoutMs,
        });
        if (res.ok) return (res.status === 204 ? null : await res.json()) as T;
        const errors = (await res.json().catch(() => null)) as { errorCode?: string }[] | null;
        const errorCode = code(Array.isArray(errors) ? errors[0]?.errorCode : undefined);
        last = new SalesforceError(`Salesforce ${errorCode ?? `HTTP ${res.status}`} on ${path.split("?")[0]}: ${statusReason(res.status)}`, errorCode);
        if (res.status === 401 && !refreshed) {
          // The access token expired (or was revoked) mid-sync: get a new one and repeat the same call.
          refreshed = true;
          if (target === "core") this.session = null;
          else this.tenant = null;
          attempt--;
          continue;
        }
        retryable = res.status >= 500 || res.status === 429 || errorCode === "REQUEST_LIMIT_EXCEEDED" || errorCode === "SERVER_UNAVAILABLE";
      } catch (error) {
        last = new SalesforceError(`request to ${path.split("?")[0]} failed: ${failureReason(error)}`);
        retryable = !(error instanceof OutboundPolicyError);
      }
      if (!retryable) throw last;
      if (attempt + 1 < this.retry.attempts) await new Promise((r) => setTimeout(r, backoff(attempt, this.retry)));
    }
    throw last!;
  }

  /**
   * One Metadata API (SOAP) call, `body` being the operation element. Metadata types newer than the connection's API
   * version need a newer endpoint, so the caller names the version. A SOAP fault is thrown with its fault code only;
   * an expired session (INVALID_SESSION_ID) is renewed once.
   */
  async metadataSoap(version: string, body: string): Promise<string> {
    for (let renewed = false; ; renewed = true) {
      if (!this.session || renewed) await this.authenticate();
      const envelope = `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><env:Header><SessionHeader xmlns="http://soap.sforce.com/2006/04/metadata"><sessionId>${xmlEscape(this.session!.token)}</sessionId></SessionHeader></env:Header><env:Body>${body}</env:Body></env:Envelope>`;
      let res: Response;
      try {
        res = await outboundFetch(`${this.session!.instanceUrl}/services/Soap/m/${version}`, { method: "POST", headers: { "content-type": "text/xml; charset=UTF-8", soapaction: '""' }, body: envelope, timeoutMs: this.retry.timeoutMs });
      } catch (error) {
        throw new SalesforceError(`Metadata API request failed: ${failureReason(error)}`);
      }
      const text = await res.text();
      if (res.ok) return text;
      const fault = code(/<faultcode>(?:\w+:)?(\w+)<\/faultcode>/.exec(text)?.[1]);
      if (fault === "INVALID_SESSION_ID" && !renewed) continue;
      throw new SalesforceError(`Salesforce Metadata API ${fault ?? `HTTP ${res.status}`}: ${statusReason(res.status)}`, fault);
    }
  }

  data(rest: string): string {
    return `/services/data/v${this.creds.apiVersion}${rest}`;
  }

  describe(object: string): Promise<{ name: string; fields: DescribeField[] }> {
    return this.request("GET", this.data(`/sobjects/${encodeURIComponent(object)}/describe`));
  }

  /** Global describe: every object the user can see, Data 360 `__dlm` objects included. */
  async listObjects(): Promise<string[]> {
    const body = await this.request<{ sobjects: { name: string }[] }>("GET", this.data("/sobjects"));
    return body.sobjects.map((o) => o.name);
  }

  /** Yields every page of a SOQL query, following nextRecordsUrl until done. */
  async *query(soql: string): AsyncGenerator<QueryPage> {
    let page = await this.request<QueryPage>("GET", this.data(`/query?q=${encodeURIComponent(soql)}`));
    yield page;
    while (!page.done && page.nextRecordsUrl) {
      page = await this.request<QueryPage>("GET", page.nextRecordsUrl);
      yield page;
    }
  }

  /** sObject Collections upsert (≤ 200 records); results are in the order of `records`. */
  async upsert(object: string, externalIdField: string, records: Record<string, unknown>[]): Promise<UpsertResult[]> {
    if (records.length > 200) throw new Error("sObject Collections take at most 200 records per call");
    return this.request("PATCH", this.data(`/composite/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(externalIdField)}`), {
      allOrNone: false,
      records: records.map((r) => ({ attributes: { type: object }, ...r })),
    });
  }
}
