// Salesforce connector against a local HTTP server speaking the documented REST formats: OAuth 2.0 token
// endpoint, SOQL query with done/nextRecordsUrl/records[].attributes, describe, and sObject Collections upsert
// with per-record success/errors. Covers pagination, an expired session mid-sync, REQUEST_LIMIT_EXCEEDED,
// a missing mapped field, re-runs that never double-count, and a partial push failure followed by a retry.
import "@/tests/helpers/allow-loopback-http";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { encryptSecret } from "@/lib/connectors/crypto";
import { claim, runClaimed } from "@/lib/connectors/run";
import { salesforceSource } from "@/lib/connectors/salesforce/connection";
import { enqueueUsageSummaries, flushPushes, pushInvoiceToSalesforce, retryFailedPushes } from "@/lib/connectors/salesforce/push";
import type { CustomObjectSettings, SalesforceSettings } from "@/lib/connectors/salesforce/schemas";
import { db, pool } from "@/lib/db";
import { ingestEvents } from "@/lib/ingest/ingest";
import { UNRESTRICTED } from "@/lib/ingest/policy";

const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const V = "/services/data/v62.0";
const PAGE_SIZE = 2;

type Rec = { Id: string; SystemModstamp: string; Consumed_At__c: string; Agent_Name__c: string; Action_Type__c: string; Units__c: number; Credits__c: number; Account__c: string | null };

const records: Rec[] = [];
function addRecord(i: number, account: string | null) {
  const stamp = new Date(Date.parse("2026-11-20T10:00:00Z") + i * 60_000).toISOString().replace("Z", "+0000");
  records.push({ Id: `a0X00000000000${String(i).padStart(2, "0")}AAA`, SystemModstamp: stamp, Consumed_At__c: stamp, Agent_Name__c: i % 2 ? "service-agent" : "sales-agent", Action_Type__c: "Answer Question", Units__c: 1, Credits__c: 20, Account__c: account });
}

const state = {
  tokens: new Set<string>(),
  issued: 0,
  /** Expire every session after serving this many query pages (then null). */
  expireAfterPages: null as number | null,
  pagesServed: 0,
  /** Scripted failures: path fragment → remaining [status, errorCode] responses. */
  failures: [] as { match: string; status: number; code: string }[],
  rejectAccounts: new Set<string>(),
  upserts: new Map<string, Record<string, unknown>>(),
  upsertCalls: [] as { path: string; count: number }[],
  queries: [] as string[],
};
const cursors = new Map<string, Rec[]>();

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json;charset=UTF-8" }).end(JSON.stringify(body));
}
const sfError = (res: http.ServerResponse, status: number, errorCode: string, message: string) => json(res, status, [{ message, errorCode }]);

function page(all: Rec[]) {
  const chunk = all.slice(0, PAGE_SIZE);
  const rest = all.slice(PAGE_SIZE);
  const body: Record<string, unknown> = {
    totalSize: all.length,
    done: rest.length === 0,
    records: chunk.map((r) => ({ attributes: { type: "Consumption__c", url: `${V}/sobjects/Consumption__c/${r.Id}` }, ...r })),
  };
  if (rest.length) {
    const id = `01gD0000002HU6KIAW-${cursors.size + 1}`;
    cursors.set(id, rest);
    body.nextRecordsUrl = `${V}/query/${id}`;
  }
  return body;
}

const FIELDS = ["Id", "SystemModstamp", "CreatedDate", "Consumed_At__c", "Agent_Name__c", "Action_Type__c", "Units__c", "Credits__c", "Account__c"];

let server: http.Server;
let baseUrl = "";

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url!, "http://fixture");
    if (req.method === "POST" && url.pathname === "/services/oauth2/token") {
      const form = new URLSearchParams(raw);
      if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== "3MVG9-client" || form.get("client_secret") !== "s3cret") {
        return json(res, 400, { error: "invalid_client", error_description: "invalid client credentials" });
      }
      const token = `00D000000000001!AQ${++state.issued}`;
      state.tokens.add(token);
      return json(res, 200, { access_token: token, instance_url: baseUrl, id: `${baseUrl}/id/00D/005`, token_type: "Bearer", issued_at: String(Date.now()), signature: "sig", scope: "api" });
    }
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!state.tokens.has(token)) return sfError(res, 401, "INVALID_SESSION_ID", "Session expired or invalid");
    const failure = state.failures.findIndex((f) => url.pathname.includes(f.match));
    if (failure >= 0) {
      const [f] = state.failures.splice(failure, 1);
      return sfError(res, f!.status, f!.code, f!.code === "REQUEST_LIMIT_EXCEEDED" ? "TotalRequests Limit exceeded." : "An unexpected error occurred.");
    }
    if (req.method === "GET" && url.pathname === `${V}/sobjects/Consumption__c/describe`) {
      return json(res, 200, { name: "Consumption__c", custom: true, fields: FIELDS.map((name) => ({ name, label: name, type: name === "Id" ? "id" : "string" })) });
    }
    if (req.method === "GET" && url.pathname === `${V}/query`) {
      const q = url.searchParams.get("q")!;
      state.queries.push(q);
      const selected = /^SELECT (.+) FROM (\w+) WHERE SystemModstamp > (\S+) ORDER BY SystemModstamp ASC$/.exec(q);
      if (!selected) return sfError(res, 400, "MALFORMED_QUERY", `unexpected query: ${q}`);
      const bad = selected[1]!.split(", ").find((f) => !FIELDS.includes(f));
      if (bad) return sfError(res, 400, "INVALID_FIELD", `No such column '${bad}' on entity 'Consumption__c'.`);
      const since = Date.parse(selected[3]!);
      const matching = records.filter((r) => Date.parse(r.SystemModstamp.replace("+0000", "Z")) > since).sort((a, b) => a.SystemModstamp.localeCompare(b.SystemModstamp));
      state.pagesServed++;
      if (state.expireAfterPages !== null && state.pagesServed === state.expireAfterPages) state.tokens.clear();
      return json(res, 200, page(matching));
    }
    if (req.method === "GET" && url.pathname.startsWith(`${V}/query/`)) {
      const rest = cursors.get(url.pathname.slice(`${V}/query/`.length));
      if (!rest) return sfError(res, 400, "INVALID_QUERY_LOCATOR", "invalid query locator");
      state.pagesServed++;
      if (state.expireAfterPages !== null && state.pagesServed === state.expireAfterPages) state.tokens.clear();
      return json(res, 200, page(rest));
    }
    const upsert = /^\/services\/data\/v62\.0\/composite\/sobjects\/(\w+)\/(\w+)$/.exec(url.pathname);
    if (req.method === "PATCH" && upsert) {
      const body = JSON.parse(raw) as { allOrNone: boolean; records: Record<string, unknown>[] };
      state.upsertCalls.push({ path: url.pathname, count: body.records.length });
      if (body.records.length > 200) return sfError(res, 400, "EXCEEDED_ID_LIMIT", "record limit exceeded");
      return json(res, 200, body.records.map((r) => {
        if ((r.attributes as { type: string }).type !== upsert[1]) return { success: false, errors: [{ statusCode: "INVALID_TYPE", message: "type mismatch", fields: [] }] };
        if (state.rejectAccounts.has(String(r.Account__c))) {
          return { success: false, errors: [{ statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "Account is locked", fields: ["Account__c"] }] };
        }
        const key = `${upsert[1]}:${String(r[upsert[2]!])}`;
        const created = !state.upserts.has(key);
        state.upserts.set(key, r);
        return { id: `a1Y${String(state.upserts.size).padStart(12, "0")}`, success: true, errors: [], created };
      }));
    }
    return sfError(res, 404, "NOT_FOUND", `The requested resource does not exist: ${url.pathname}`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  state.expireAfterPages = null;
  state.pagesServed = 0;
  state.failures = [];
  state.rejectAccounts.clear();
});

const SETTINGS: CustomObjectSettings = {
  clientId: "3MVG9-client",
  auth: "client_credentials",
  username: null,
  audience: "https://login.salesforce.com",
  apiVersion: "62.0",
  queryApi: "connect",
  object: "Consumption__c",
  watermarkField: "SystemModstamp",
  mapping: { timestamp: "Consumed_At__c", agent: "Agent_Name__c", usageType: "Action_Type__c", quantity: "Units__c", credits: "Credits__c", account: "Account__c" },
  creditRate: { amount: "500", perCredits: 100_000 },
  creditsPerUnit: null,
  presets: [],
  tokensPaidSeparately: false,
  push: { invoiceObject: "AgentLedger_Invoice__c", invoiceExternalIdField: "AgentLedger_Id__c", usageObject: "AgentLedger_Usage__c", usageExternalIdField: "AgentLedger_Id__c" },
};

async function connection(settings: SalesforceSettings = SETTINGS, secret = "s3cret") {
  return db.connector.create({
    data: { name: "Acme org", provider: "salesforce", dataset: "consumption", baseUrl, apiKeyEncrypted: encryptSecret(secret), agentKey: "agentforce", backfillDays: 30, settings },
  });
}

async function run(id: number) {
  expect(await claim(id, false)).toBe(true);
  const runId = await runClaimed(id, { retry: FAST, now: new Date("2026-12-02T00:00:00Z") });
  return db.connectorRun.findUniqueOrThrow({ where: { id: runId } });
}

async function totals(source: string) {
  const r = await pool.query("SELECT count(*)::int AS n, sum(cost)::text AS cost, sum(quantity)::text AS quantity FROM usage_events WHERE source = $1", [source]);
  return r.rows[0];
}

describe("Salesforce pull", () => {
  test("follows nextRecordsUrl, refreshes an expired session and waits out REQUEST_LIMIT_EXCEEDED; re-runs import nothing twice", async () => {
    await db.customer.create({ data: { key: "acme", name: "Acme", salesforceAccountId: "001A000001" } });
    for (let i = 0; i < 5; i++) addRecord(i, i < 3 ? "001A000001" : "001B000002");
    const c = await connection();
    state.expireAfterPages = 1; // the session dies after the first page
    state.failures.push({ match: "/query/", status: 403, code: "REQUEST_LIMIT_EXCEEDED" });
    const issuedBefore = state.issued;

    const first = await run(c.id);
    expect(first).toMatchObject({ status: "succeeded", pages: 3, accepted: 5, duplicates: 0, rejected: 0, error: null });
    expect(state.issued - issuedBefore).toBe(2); // initial token + one refresh mid-sync
    expect(state.queries.at(-1)).toBe(
      "SELECT Id, SystemModstamp, Consumed_At__c, Agent_Name__c, Action_Type__c, Units__c, Credits__c, Account__c FROM Consumption__c WHERE SystemModstamp > 2026-11-02T00:00:00.000Z ORDER BY SystemModstamp ASC",
    );
    // 20 credits at $500 per 100,000 credits = $0.10 per record.
    expect(await totals(salesforceSource(c.id))).toMatchObject({ n: 5, cost: "0.5000000000", quantity: "5.000000" });
    const byCustomer = await pool.query("SELECT c.key, c.salesforce_account_id AS account, count(*)::int AS n FROM usage_events e JOIN customers c ON c.id = e.customer_id WHERE e.source = $1 GROUP BY 1, 2 ORDER BY 1", [salesforceSource(c.id)]);
    expect(byCustomer.rows).toEqual([
      { key: "acme", account: "001A000001", n: 3 },
      { key: "sf-001B000002", account: "001B000002", n: 2 },
    ]);
    const events = await pool.query("SELECT e.event_key AS id, e.type, a.key AS agent FROM usage_events e JOIN agents a ON a.id = e.agent_id WHERE e.source = $1 ORDER BY 1", [salesforceSource(c.id)]);
    expect(events.rows[0]).toEqual({ id: records[0]!.Id, type: "Answer Question", agent: "sales-agent" });
    const after = await db.connector.findUniqueOrThrow({ where: { id: c.id } });
    expect(after.checkpoint).toEqual(new Date("2026-11-20T10:04:00Z"));

    // Nothing changed: the watermark query returns nothing.
    const second = await run(c.id);
    expect(second).toMatchObject({ status: "succeeded", pages: 1, accepted: 0, duplicates: 0 });
    expect(state.queries.at(-1)).toContain("WHERE SystemModstamp > 2026-11-20T10:04:00.000Z");

    // A new record lands; a run from scratch (watermark reset) re-reads everything as duplicates.
    addRecord(5, null);
    await db.connector.update({ where: { id: c.id }, data: { checkpoint: null } });
    const third = await run(c.id);
    expect(third).toMatchObject({ status: "succeeded", pages: 3, accepted: 1, duplicates: 5, rejected: 0 });
    expect(await totals(salesforceSource(c.id))).toMatchObject({ n: 6, cost: "0.6000000000" });
  });

  test("a mapped field the object does not have fails the run naming it", async () => {
    const c = await connection({ ...SETTINGS, mapping: { ...SETTINGS.mapping, quantity: "Units_Used__c", department: "Cost_Center__c" } });
    const queriesBefore = state.queries.length;
    const r = await run(c.id);
    expect(r.status).toBe("failed");
    expect(r.error).toBe("Mapped fields not found on Consumption__c: Units_Used__c (quantity), Cost_Center__c (department)");
    expect(state.queries.length).toBe(queriesBefore); // failed before querying
  });

  test("wrong client credentials fail with Salesforce's reason; persistent 503s give up after the retries", async () => {
    const bad = await connection(SETTINGS, "wrong");
    expect((await run(bad.id)).error).toBe("Salesforce authentication failed: invalid_client (HTTP 400)");
    const c = await connection();
    state.failures.push(...Array.from({ length: FAST.attempts }, () => ({ match: "/describe", status: 503, code: "SERVER_UNAVAILABLE" })));
    const r = await run(c.id);
    expect(r.status).toBe("failed");
    expect(r.error).toContain("SERVER_UNAVAILABLE");
    expect(state.failures).toHaveLength(0);
  });
});

describe("Salesforce push", () => {
  test("invoices upsert by external id; a rejected record is logged and succeeds on retry; summaries per account", async () => {
    await db.connector.updateMany({ where: { provider: "salesforce" }, data: { enabled: false } }); // only this org receives invoices
    const c = await connection();
    const alpha = await db.customer.create({ data: { key: "alpha", name: "Alpha", salesforceAccountId: "001P00000A" } });
    const beta = await db.customer.create({ data: { key: "beta", name: "Beta", salesforceAccountId: "001P00000B" } });
    const noAccount = await db.customer.create({ data: { key: "gamma", name: "Gamma" } });
    const period = { period: "2026-11", periodStart: new Date("2026-11-01T00:00:00Z"), periodEnd: new Date("2026-12-01T00:00:00Z") };
    const inv = async (customerId: number, number: number, status: "draft" | "finalized" = "finalized") =>
      db.invoice.create({ data: { ...period, customerId, number, status, subtotal: "120.00", total: "120.00", finalizedAt: status === "finalized" ? new Date() : null } });
    const a = await inv(alpha.id, 9001);
    const b = await inv(beta.id, 9002);
    const g = await inv(noAccount.id, 9003);
    const draft = await inv(alpha.id, 9004, "draft");

    state.rejectAccounts.add("001P00000B");
    expect(await pushInvoiceToSalesforce(a.id, { retry: FAST })).toEqual({ queued: 1 });
    expect(await pushInvoiceToSalesforce(b.id, { retry: FAST })).toEqual({ queued: 1 });
    expect(await pushInvoiceToSalesforce(g.id, { retry: FAST })).toEqual({ queued: 0 });
    expect(await pushInvoiceToSalesforce(draft.id, { retry: FAST })).toEqual({ queued: 0 });

    const log = await db.salesforcePush.findMany({ where: { connectorId: c.id }, orderBy: { id: "asc" } });
    expect(log.map((p) => [p.externalId, p.status, p.error])).toEqual([
      ["AL-INV-9001", "succeeded", null],
      ["AL-INV-9002", "failed", "FIELD_CUSTOM_VALIDATION_EXCEPTION: Account is locked (Account__c)"],
    ]);
    expect(state.upserts.get("AgentLedger_Invoice__c:AL-INV-9001")).toMatchObject({ attributes: { type: "AgentLedger_Invoice__c" }, Account__c: "001P00000A", Total__c: 120, Period__c: "2026-11" });

    state.rejectAccounts.clear();
    expect(await retryFailedPushes(c, { retry: FAST })).toEqual({ succeeded: 1, failed: 0 });
    const retried = await db.salesforcePush.findFirstOrThrow({ where: { connectorId: c.id, externalId: "AL-INV-9002" } });
    expect(retried).toMatchObject({ status: "succeeded", error: null, attempts: 1 });
    expect(retried.salesforceId).toMatch(/^a1Y/);
    // Nothing left to send: no call.
    const calls = state.upsertCalls.length;
    expect(await flushPushes(c, { retry: FAST })).toEqual({ succeeded: 0, failed: 0 });
    expect(state.upsertCalls.length).toBe(calls);

    // Usage summaries for November: one record per linked account with usage.
    const usage = Array.from({ length: 3 }, (_, i) => ({ id: `sum-${i}`, timestamp: "2026-11-15T00:00:00Z", agent: "sum-agent", type: "x", quantity: 2, customer: "alpha", cost: { amount: "1.25", currency: "USD" } }));
    expect(await ingestEvents("test", usage, UNRESTRICTED)).toMatchObject({ accepted: 3 });
    expect(await enqueueUsageSummaries(c, "2026-11")).toBeGreaterThanOrEqual(1);
    await flushPushes(c, { retry: FAST });
    expect(state.upserts.get("AgentLedger_Usage__c:AL-USG-2026-11-001P00000A")).toMatchObject({ Account__c: "001P00000A", Period__c: "2026-11", Events__c: 3, Quantity__c: 6, Cost__c: 3.75 });

    // An invoice finalized without the hook (e.g. a crash before it ran) goes out with the next scheduled sync.
    await inv(beta.id, 9005);
    expect(await run(c.id)).toMatchObject({ status: "succeeded" });
    expect(await db.salesforcePush.findFirst({ where: { connectorId: c.id, externalId: "AL-INV-9005" } })).toMatchObject({ status: "succeeded" });
  });

  test("more than 200 records go in batches of 200", async () => {
    const c = await connection();
    await db.salesforcePush.createMany({
      data: Array.from({ length: 450 }, (_, i) => ({ connectorId: c.id, kind: "usage_summary", externalId: `AL-BULK-${i}`, sobject: "AgentLedger_Usage__c", payload: { Account__c: `001X${i}` }, status: "pending" })),
    });
    state.upsertCalls.length = 0;
    expect(await flushPushes(c, { retry: FAST })).toEqual({ succeeded: 450, failed: 0 });
    expect(state.upsertCalls.map((u) => u.count)).toEqual([200, 200, 50]);
  });
});
