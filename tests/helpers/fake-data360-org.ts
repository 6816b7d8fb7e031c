// A fake Salesforce org serving Agentforce's Data 360 objects, for the connector's integration tests.
// Shapes follow Salesforce's documentation:
// - OAuth 2.0 token response (access_token, instance_url, ...): REST API Developer Guide, "OAuth 2.0 Client Credentials Flow".
// - Global describe `GET /services/data/vXX/sobjects` → { encoding, maxBatchSize, sobjects: [{ name, label, queryable, custom }] }
//   and `GET /sobjects/{name}/describe` → { name, fields: [{ name, label, type }] }: REST API Developer Guide.
// - Data 360 Query (Connect REST) `POST /services/data/vXX/ssot/query-sql` {sql} → ConnectApi.QuerySqlOutput
//   { data: [[...]], metadata: [{ name, type, nullable }], returnedRows, status: QuerySqlStatus };
//   `GET .../query-sql/{queryId}` → QuerySqlStatus { queryId, completionStatus: Running|ResultsProduced|Finished,
//   rowCount, chunkCount, progress, expirationTime }; `GET .../query-sql/{queryId}/rows?offset=&rowLimit=` →
//   ConnectApi.QuerySqlPageOutput { data, metadata, returnedRows } (Apex reference "ConnectApi.QuerySqlOutput",
//   "ConnectApi.QuerySqlStatus", "ConnectApi.QuerySqlPageOutput", v62.0; Data 360 Query guide "Query Data using
//   Query API"). Errors: [{ errorCode, message }] as every REST API error.
// - OAuth 2.0 JWT bearer flow: `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>`, RS256
//   signed with the connected app certificate's private key; claims iss (consumer key), sub (username), aud
//   (login URL), exp (≤ 3 minutes ahead); failures are `{ error: "invalid_grant", ... }` (Salesforce Help, "OAuth 2.0
//   JWT Bearer Flow for Server-to-Server Integration"; RFC 7523).
// - Data 360 token exchange `POST /services/a360/token` (grant_type=urn:salesforce:grant-type:external:cdp,
//   subject_token=<core access token>, subject_token_type=urn:ietf:params:oauth:token-type:access_token) →
//   { access_token, instance_url (the tenant host), token_type, issued_token_type, expires_in }, and Query API V2
//   `POST https://{tenant}/api/v2/query` {sql} → { data: [[...]], metadata: { column: { type, placeInOrder, typeCode } },
//   rowCount, queryId, done, nextBatchId }, `GET /api/v2/query/{nextBatchId}` (Data Cloud "Query API V2" reference;
//   call details seen in public code [code], /work/shared/reference/agentforce-data.md).
// - Session Trace OTel API (beta) `GET /services/data/vXX/einstein/audit/otel/{sessionId}` → one session as OTLP JSON
//   (an ExportTraceServiceRequest: resourceSpans → scopeSpans → spans), sessions started in the last 72 hours
//   (Agentforce Developer Guide, "Export Agentforce Session Tracing Data (Beta)"). The span attributes used here are
//   the OpenTelemetry GenAI conventions; Salesforce's exact attribute names are not documented there [guess].
// - Digital Wallet totals `TenantDailyEntitlementConsumption` (day × card: utilizationdate__c (date), unitsconsumed__c
//   credits, usageconsumed__c, multiplier__c) and `TenantHourlyEntitlementConsumption` (hour × resource:
//   usagehourbucket__c, usageconsumed__c, multiplier__c; no credits field): /work/shared/reference/agentforce-data.md.
// - Metadata API (SOAP) `POST /services/Soap/m/{version}`, session id in the SessionHeader: listMetadata
//   (queries: [{ type }], asOfVersion) → listMetadataResponse { result: FileProperties[] { fullName, type, ... } } and
//   readMetadata (type, fullNames ≤ 10) → readMetadataResponse { result: ReadResult { records: Metadata[] } }, each
//   record `xsi:type` the requested type; errors are SOAP faults (faultcode sf:INVALID_SESSION_ID,
//   sf:INSUFFICIENT_ACCESS, ...) with HTTP 500 (Metadata API Developer Guide, "listMetadata()", "readMetadata()",
//   "FileProperties", "ReadResult"). Agents' billing mode: AiAgentDefinitionVersion (API 68.0+), components named
//   `<agent API name>#<version number>`, field `billingMode` ActionBased | OutcomeBased (Metadata API Developer Guide,
//   "AiAgentDefinitionVersion"). The component's other fields are left out here.
// - Object and field spellings per release (`ssot__X__dlm` / `std__XDmo__dlm` / `X_std__dlm`; the Digital Wallet's
//   data lake objects with lower-case fields such as `unitsconsumed__c`): /work/shared/reference/agentforce-data.md.
import { createPublicKey, createVerify } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Spelling = "ssot" | "dmo" | "std";
type Value = string | number | boolean | null;
export type LogicalRow = Record<string, Value>;

/** Logical object → its logical fields (the documented names, without prefixes). */
export const OBJECTS: Record<string, string[]> = {
  TenantEnrichedUsageEvent: ["Id", "EventTime", "UnitsConsumed", "UsageValue", "Multiplier", "ResourceIdOrApiName", "FeatureDeveloperName", "UsageTypeDeveloperName", "UsageSubtype0", "CardDefinitionDeveloperName"],
  AiAgentGenerativeAiUsage: ["Id", "EventTimestamp", "AgentDeveloperName", "AgentIdentifier", "AgentTypeCode", "AiAgentSessionId", "AiAgentInteractionId", "AiAgentToolName", "GenAiGatewayModelName", "ModelProviderName", "PromptInputTokenCount", "PromptCompletionTokenCount", "IsBillableIndicator", "IsMeteredIndicator", "MeteringSkipReasonCode"],
  AiAgentSession: ["Id", "StartTimestamp", "EndTimestamp", "AiAgentChannelType", "AiAgentSessionEndType", "RelatedMessagingSessionId", "RelatedVoiceCallId"],
  // Digital Wallet totals (reconciliation): day × consumption card, hour × resource (the hourly object documents no credits field).
  TenantDailyEntitlementConsumption: ["Id", "UtilizationDate", "CardDefinitionDeveloperName", "UsageConsumed", "UnitsConsumed", "Multiplier", "Unit", "UsageAggregationType"],
  TenantHourlyEntitlementConsumption: ["Id", "UsageHourBucket", "ResourceIdOrApiName", "UsageConsumed", "Multiplier", "Contract"],
  AiAgentSessionParticipant: ["Id", "AiAgentSessionId", "AiAgentApiName", "AiAgentVersionApiName", "AiAgentType", "ParticipantRole"],
};

const tenant = (o: string) => o.startsWith("Tenant");

export function objectName(spelling: Spelling, logical: string): string {
  if (tenant(logical)) return spelling === "ssot" ? `${logical}__dll` : `${logical}__dlm`;
  return spelling === "ssot" ? `ssot__${logical}__dlm` : spelling === "dmo" ? `std__${logical}Dmo__dlm` : `${logical}_std__dlm`;
}

export function fieldName(spelling: Spelling, logical: string, field: string): string {
  if (tenant(logical)) return spelling === "ssot" ? `${field.toLowerCase()}__c` : `${field}__c`;
  return spelling === "ssot" ? `ssot__${field}__c` : spelling === "dmo" ? `std__${field}__c` : `${field}__c`;
}

export type FakeOrg = {
  url: string;
  state: {
    spelling: Spelling;
    /** Logical object → rows (logical field names). */
    rows: Record<string, LogicalRow[]>;
    /** Objects left out of this org (e.g. a release without token usage). */
    absent: Set<string>;
    tokens: Set<string>;
    issued: number;
    requests: number;
    /** Every session is revoked when `requests` reaches this (the next call gets 401 INVALID_SESSION_ID). */
    expireAtRequest: number | null;
    /** Scripted failures: the first one whose `match` is in "METHOD path?query" answers instead, `times` times. */
    failures: { match: string; status: number; code: string; times: number }[];
    /** Status polls answered "Running" before a query is Finished. */
    runningPolls: number;
    /** Largest page the rows endpoint serves (the inline first page too). */
    pageSize: number;
    sql: string[];
    /** JWT bearer: the certificate's public key and the claims it must carry; the claims of each accepted assertion. */
    jwt: { publicKeyPem: string; clientId: string; username: string; audience: string } | null;
    assertions: Record<string, unknown>[];
    /** Session Trace OTel API: session id → its OTLP JSON (ExportTraceServiceRequest shape); others are 404. */
    traces: Record<string, unknown>;
    traceRequests: string[];
    /** The org requires the Data 360 token exchange: Connect /ssot/query-sql is refused, Query API V2 wants a tenant token. */
    requireTenantToken: boolean;
    tenantTokens: Set<string>;
    exchanges: number;
    /** The org id in the token response's identity URL; each fake org its own unless a test shares one. */
    orgId: string;
    /** Metadata API: AiAgentDefinitionVersion full name (`Agent#2`) → its billingMode (null: none set). */
    agentVersions: Record<string, string | null>;
    /** A fault every Metadata API call answers (e.g. INSUFFICIENT_ACCESS for a user without the permission). */
    metadataFault: string | null;
    /** The Metadata API operations received, e.g. "listMetadata", "readMetadata Agent#1,Agent#2". */
    metadataCalls: string[];
  };
  close(): Promise<void>;
};

const json = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json;charset=UTF-8" }).end(JSON.stringify(body));
const sfError = (res: http.ServerResponse, status: number, errorCode: string, message: string) => json(res, status, [{ errorCode, message }]);

let orgCount = 0;

type Query = { queryId: string; columns: string[]; rows: Value[][]; polls: number };

export async function startFakeOrg(spelling: Spelling, version = "62.0"): Promise<FakeOrg> {
  const V = `/services/data/v${version}`;
  const state: FakeOrg["state"] = { spelling, rows: {}, absent: new Set(), tokens: new Set(), issued: 0, requests: 0, expireAtRequest: null, failures: [], runningPolls: 0, pageSize: 2, sql: [], jwt: null, assertions: [], traces: {}, traceRequests: [], requireTenantToken: false, tenantTokens: new Set(), exchanges: 0, agentVersions: {}, metadataFault: null, metadataCalls: [], orgId: `00D5f0000000${String(++orgCount).padStart(3, "0")}EAA` };
  const queries = new Map<string, Query>();
  let url = "";

  const present = () => Object.keys(OBJECTS).filter((o) => !state.absent.has(o));
  const byName = (name: string) => present().find((o) => objectName(state.spelling, o) === name);
  const status = (q: Query) => ({ queryId: q.queryId, completionStatus: q.polls < state.runningPolls ? "Running" : "Finished", rowCount: q.rows.length, chunkCount: 1, progress: q.polls < state.runningPolls ? 0.5 : 1, expirationTime: "2026-12-09T00:00:00.000Z" });
  const metadata = (q: Query) => q.columns.map((name) => ({ name, nullable: true, type: "Varchar" }));

  /** The SQL the connector sends, parsed strictly: anything else is a 400 like Data 360's own. */
  function run(sql: string): Query | string {
    const select = /^SELECT (.+) FROM "(\w+)" WHERE (.+?)(?: ORDER BY "(\w+)" ASC(?:, "(\w+)" ASC)?)?(?: LIMIT (\d+))?$/.exec(sql);
    if (!select) return `unexpected SQL: ${sql}`;
    const logical = byName(select[2]!);
    if (!logical) return `object ${select[2]} not found`;
    const fields = new Map(OBJECTS[logical]!.map((f) => [fieldName(state.spelling, logical, f), f]));
    const columns = select[1]!.split(", ").map((c) => /^"(\w+)"$/.exec(c)?.[1] ?? c);
    const unknown = [...columns, select[4], select[5]].find((c) => c !== undefined && !fields.has(c));
    if (unknown) return `column ${unknown} not found on ${select[2]}`;
    let rows = [...(state.rows[logical] ?? [])];
    const where = select[3]!;
    const since = /^"(\w+)" > TIMESTAMP WITH TIME ZONE '([^']+)'$/.exec(where);
    const among = /^"(\w+)" IN \((.+)\) AND "(\w+)" IS NOT NULL$/.exec(where);
    const range = /^"(\w+)" >= (DATE|TIMESTAMP WITH TIME ZONE) '([^']+)' AND "(\w+)" < (DATE|TIMESTAMP WITH TIME ZONE) '([^']+)'$/.exec(where);
    const time = (v: Value) => (/^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? Date.parse(`${v}T00:00:00Z`) : Date.parse(String(v).replace(" ", "T").replace(/(\d)$/, "$1Z")));
    if (since && fields.has(since[1]!)) {
      const f = fields.get(since[1]!)!;
      rows = rows.filter((r) => r[f] !== null && time(r[f]!) > Date.parse(since[2]!));
    } else if (among && fields.has(among[1]!) && fields.has(among[3]!)) {
      const ids = among[2]!.split(", ").map((s) => s.replace(/^'|'$/g, "").replace(/''/g, "'"));
      rows = rows.filter((r) => ids.includes(String(r[fields.get(among[1]!)!])) && r[fields.get(among[3]!)!] !== null);
    } else if (range && range[1] === range[4] && fields.has(range[1]!)) {
      const f = fields.get(range[1]!)!;
      // A date column compares with DATE literals, a date-time with TIMESTAMP ones (as the connector must send them).
      if ((range[2] === "DATE") !== (f === "UtilizationDate") || range[2] !== range[5]) return `type mismatch comparing ${range[1]}`;
      rows = rows.filter((r) => r[f] !== null && time(r[f]!) >= Date.parse(range[3]!) && time(r[f]!) < Date.parse(range[6]!));
    } else return `unexpected WHERE: ${where}`;
    if (select[4]) {
      const [a, b] = [fields.get(select[4])!, select[5] ? fields.get(select[5])! : undefined];
      rows.sort((x, y) => time(x[a]!) - time(y[a]!) || (b ? String(x[b]).localeCompare(String(y[b])) : 0));
    }
    if (select[6]) rows = rows.slice(0, Number(select[6]));
    const q: Query = { queryId: `MTAuMjcuMTgxLjE0OTo3NDg0_${queries.size + 1}`, columns, rows: rows.map((r) => columns.map((c) => r[fields.get(c)!] ?? null)), polls: 0 };
    queries.set(q.queryId, q);
    return q;
  }

  /** Signature over header.claims with the registered certificate, then the claims Salesforce checks. */
  function checkAssertion(assertion: string): string | null {
    const jwt = state.jwt;
    if (!jwt) return "JWT bearer not enabled for this app";
    const [head, body, signature] = assertion.split(".");
    if (!head || !body || !signature) return "malformed assertion";
    const header = JSON.parse(Buffer.from(head, "base64url").toString()) as { alg?: string };
    if (header.alg !== "RS256") return "algorithm must be RS256";
    if (!createVerify("RSA-SHA256").update(`${head}.${body}`).verify(createPublicKey(jwt.publicKeyPem), Buffer.from(signature, "base64url"))) return "invalid assertion signature";
    const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as { iss?: string; sub?: string; aud?: string; exp?: number };
    const now = Date.now() / 1000;
    if (claims.iss !== jwt.clientId) return "invalid client identifier";
    if (claims.sub !== jwt.username) return "user hasn't approved this consumer";
    if (claims.aud !== jwt.audience) return "audience is invalid";
    if (typeof claims.exp !== "number" || claims.exp < now || claims.exp > now + 300) return "expiration time is invalid";
    state.assertions.push(claims);
    return null;
  }

  /** Metadata API SOAP: the two read calls, answered in the documented envelope; faults as HTTP 500. */
  function metadataApi(res: http.ServerResponse, raw: string) {
    const soap = (status: number, body: string) => res.writeHead(status, { "content-type": "text/xml;charset=UTF-8" }).end(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`);
    const fault = (code: string) => soap(500, `<soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${code}: scripted</faultstring></soapenv:Fault>`);
    const text = (name: string) => [...raw.matchAll(new RegExp(`<(?:\\w+:)?${name}>([^<]*)</(?:\\w+:)?${name}>`, "g"))].map((m) => m[1]!);
    if (!state.tokens.has(text("sessionId")[0] ?? "")) return fault("INVALID_SESSION_ID");
    if (state.metadataFault) return fault(state.metadataFault);
    const type = text("type")[0];
    if (type !== "AiAgentDefinitionVersion") return fault("INVALID_TYPE");
    if (raw.includes("<listMetadata")) {
      state.metadataCalls.push("listMetadata");
      const results = Object.keys(state.agentVersions).map((n) => `<result><createdById>005000000000001AAA</createdById><fileName>aiAgentDefinitionVersions/${n}.aiAgentDefinitionVersion</fileName><fullName>${n}</fullName><id>0Xx000000000001AAA</id><type>${type}</type></result>`);
      return soap(200, `<listMetadataResponse>${results.join("")}</listMetadataResponse>`);
    }
    if (raw.includes("<readMetadata")) {
      const names = text("fullNames");
      state.metadataCalls.push(`readMetadata ${names.join(",")}`);
      if (names.length > 10) return fault("LIMIT_EXCEEDED");
      // A name that is not a component comes back as an empty record, as readMetadata does.
      const records = names.map((n) => (n in state.agentVersions ? `<records xsi:type="${type}"><fullName>${n}</fullName>${state.agentVersions[n] ? `<billingMode>${state.agentVersions[n]}</billingMode>` : ""}</records>` : `<records xsi:nil="true"/>`));
      return soap(200, `<readMetadataResponse><result>${records.join("")}</result></readMetadataResponse>`);
    }
    return fault("INVALID_OPERATION");
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const u = new URL(req.url!, "http://fake");
    if (req.method === "POST" && u.pathname === "/services/oauth2/token") {
      const form = new URLSearchParams(raw);
      if (form.get("grant_type") === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
        const problem = checkAssertion(form.get("assertion") ?? "");
        if (problem) return json(res, 400, { error: "invalid_grant", error_description: problem });
      } else if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== "3MVG9-af" || form.get("client_secret") !== "af-secret") return json(res, 400, { error: "invalid_client", error_description: "invalid client credentials" });
      const token = `00D000000000AF!AQ${++state.issued}`;
      state.tokens.add(token);
      return json(res, 200, { access_token: token, instance_url: url, id: `${url}/id/${state.orgId}/005000000000001AAA`, token_type: "Bearer", issued_at: String(Date.now()), signature: "sig", scope: "api cdp_query_api" });
    }
    if (req.method === "POST" && u.pathname === "/services/a360/token") {
      const form = new URLSearchParams(raw);
      if (!state.tokens.has(form.get("subject_token") ?? "")) return json(res, 401, { error: "invalid_token", error_description: "subject token expired or invalid" });
      if (form.get("grant_type") !== "urn:salesforce:grant-type:external:cdp" || form.get("subject_token_type") !== "urn:ietf:params:oauth:token-type:access_token") return json(res, 400, { error: "unsupported_grant_type", error_description: "grant type not supported" });
      const token = `eyJ-t360-${++state.exchanges}`;
      state.tenantTokens.add(token);
      // A real org answers its tenant's host ("<id>.c360a.salesforce.com"); here the same server plays the tenant.
      return json(res, 200, { access_token: token, instance_url: url, token_type: "Bearer", issued_token_type: "urn:ietf:params:oauth:token-type:jwt", expires_in: 7200 });
    }
    const v2 = /^\/api\/v2\/query(?:\/([\w=.-]+))?$/.exec(u.pathname);
    if (v2) {
      state.requests++;
      if (state.expireAtRequest !== null && state.requests === state.expireAtRequest) state.tenantTokens.clear();
      if (!state.tenantTokens.has((req.headers.authorization ?? "").replace(/^Bearer /, ""))) return sfError(res, 401, "INVALID_SESSION_ID", "Data 360 token expired or invalid");
      const failure = state.failures.find((f) => f.times > 0 && `${req.method} ${u.pathname}`.includes(f.match));
      if (failure) {
        failure.times--;
        return sfError(res, failure.status, failure.code, "scripted failure");
      }
      let q: Query | string | undefined;
      let offset = 0;
      if (req.method === "POST" && !v2[1]) {
        const sql = (JSON.parse(raw) as { sql?: unknown }).sql;
        if (typeof sql !== "string") return sfError(res, 400, "INVALID_INPUT", "sql is required");
        state.sql.push(sql);
        q = run(sql);
        if (typeof q === "string") return sfError(res, 400, "INVALID_SQL", q);
      } else if (req.method === "GET" && v2[1]) {
        const cut = v2[1].lastIndexOf("-");
        q = queries.get(v2[1].slice(0, cut));
        offset = Number(v2[1].slice(cut + 1));
        if (!q) return sfError(res, 404, "NOT_FOUND", "batch not found or expired");
      } else return sfError(res, 404, "NOT_FOUND", "The requested resource does not exist");
      // Query API V2 response: rows as arrays, metadata keyed by column with its place, nextBatchId until done.
      const data = q.rows.slice(offset, offset + state.pageSize);
      const done = offset + data.length >= q.rows.length;
      return json(res, 200, { data, startTime: "2026-12-02T00:00:00.000Z", endTime: "2026-12-02T00:00:00.100Z", rowCount: data.length, queryId: q.queryId, done, ...(done ? {} : { nextBatchId: `${q.queryId}-${offset + data.length}` }), metadata: Object.fromEntries(q.columns.map((c, i) => [c, { type: "VARCHAR", placeInOrder: i, typeCode: 12 }])) });
    }
    if (req.method === "POST" && /^\/services\/Soap\/m\/\d+\.0$/.test(u.pathname)) return metadataApi(res, raw);
    state.requests++;
    if (state.expireAtRequest !== null && state.requests === state.expireAtRequest) state.tokens.clear();
    if (!state.tokens.has((req.headers.authorization ?? "").replace(/^Bearer /, ""))) return sfError(res, 401, "INVALID_SESSION_ID", "Session expired or invalid");
    const key = `${req.method} ${u.pathname}${u.search}`;
    const failure = state.failures.find((f) => f.times > 0 && key.includes(f.match));
    if (failure) {
      failure.times--;
      return sfError(res, failure.status, failure.code, "scripted failure");
    }
    if (req.method === "GET" && u.pathname === `${V}/sobjects`) {
      const names = [...present().map((o) => objectName(state.spelling, o)), "Account", "Contact", "BotDefinition"];
      return json(res, 200, { encoding: "UTF-8", maxBatchSize: 200, sobjects: names.map((name) => ({ name, label: name, queryable: true, custom: name.endsWith("__dlm") || name.endsWith("__dll") })) });
    }
    const describe = new RegExp(`^${V}/sobjects/(\\w+)/describe$`).exec(u.pathname);
    if (req.method === "GET" && describe) {
      const logical = byName(describe[1]!);
      if (!logical) return sfError(res, 404, "NOT_FOUND", "The requested resource does not exist");
      return json(res, 200, { name: describe[1], custom: true, fields: OBJECTS[logical]!.map((f) => ({ name: fieldName(state.spelling, logical, f), label: f, type: f === "UtilizationDate" ? "date" : /Timestamp|Time$|HourBucket$/.test(f) ? "datetime" : "string" })) });
    }
    if (req.method === "POST" && u.pathname === `${V}/ssot/query-sql`) {
      if (state.requireTenantToken) return sfError(res, 403, "INSUFFICIENT_ACCESS", "this org serves Data 360 queries through its tenant endpoint");
      const sql = (JSON.parse(raw) as { sql?: unknown }).sql;
      if (typeof sql !== "string") return sfError(res, 400, "INVALID_INPUT", "sql is required");
      state.sql.push(sql);
      const q = run(sql);
      if (typeof q === "string") return sfError(res, 400, "INVALID_SQL", q);
      const s = status(q);
      const inline = s.completionStatus === "Finished" ? q.rows.slice(0, state.pageSize) : [];
      return json(res, 201, { data: inline, metadata: metadata(q), returnedRows: inline.length, status: s });
    }
    const otel = new RegExp(`^${V}/einstein/audit/otel/([\\w-]+)$`).exec(u.pathname);
    if (req.method === "GET" && otel) {
      state.traceRequests.push(otel[1]!);
      const trace = state.traces[otel[1]!];
      return trace ? json(res, 200, trace) : sfError(res, 404, "NOT_FOUND", "No session trace found for this session in the last 72 hours");
    }
    const path = new RegExp(`^${V}/ssot/query-sql/([\\w=.-]+)(/rows)?$`).exec(u.pathname);
    if (req.method === "GET" && path) {
      const q = queries.get(path[1]!);
      if (!q) return sfError(res, 404, "NOT_FOUND", "query not found or expired");
      if (!path[2]) {
        q.polls++;
        return json(res, 200, status(q));
      }
      if (q.polls < state.runningPolls) return sfError(res, 400, "INVALID_STATE", "results not ready");
      const offset = Number(u.searchParams.get("offset"));
      const limit = Math.min(Number(u.searchParams.get("rowLimit") ?? state.pageSize), state.pageSize);
      const data = q.rows.slice(offset, offset + limit);
      return json(res, 200, { data, metadata: metadata(q), returnedRows: data.length });
    }
    return sfError(res, 404, "NOT_FOUND", `The requested resource does not exist: ${u.pathname}`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, state, close: () => new Promise((r) => server.close(() => r())) };
}
