// API key bindings over real HTTP (issue 14, item 10): keys are created through the admin API, which reports what
// each may write; then every ingestion path (JSON events, CloudEvents, OTLP, file import) rejects, per event and
// naming the field, what the key's bindings, cost ceiling and permissions forbid, and accepts the rest.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { emails, login, seedFixture } from "./authorization/fixture";

let app: AppServer;
let db: pg.Pool;
let adminCookie: string;
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  await seedFixture(databaseUrl);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  await db.query(
    "INSERT INTO model_prices (model, provider, currency, input_per_mtok, output_per_mtok, effective_from) VALUES ('pricey-model', 'test', 'USD', 1000000, 0, '2020-01-01')",
  );
  // February 2026 is billed and finalized.
  await db.query(
    `INSERT INTO invoices (customer_id, number, period, period_start, period_end, status, finalized_at, updated_at)
     SELECT id, 900001, '2026-02', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', 'finalized', now(), now() FROM customers WHERE key = 'acme'`,
  );
  app = await startAppServer({ databaseUrl });
  adminCookie = (await login(app.baseUrl, emails.admin))!;
});

afterAll(async () => {
  await app?.stop();
  await db?.end();
});

async function createKey(body: Record<string, unknown>) {
  const res = await fetch(`${app.baseUrl}/api/v1/api-keys`, {
    method: "POST",
    headers: { cookie: adminCookie, origin: app.baseUrl, "content-type": "application/json" },
    body: JSON.stringify({ scopes: ["ingest"], ...body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: Record<string, unknown>; secret: string };
}

async function send(secret: string, events: Record<string, unknown>[]) {
  const res = await fetch(`${app.baseUrl}/api/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ events }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { accepted: number; rejected: { index: number; id: string; errors: string[] }[] };
}

const event = (id: string, extra: Record<string, unknown> = {}) => ({ id, timestamp: ago(1), agent: "triage", type: "agent.action", ...extra });
const errorsById = (r: { rejected: { id: string; errors: string[] }[] }) => Object.fromEntries(r.rejected.map((x) => [x.id, x.errors]));

describe("a new key with no options", () => {
  test("is reported as unbound, unable to create agents/customers or write into finalized periods", async () => {
    const { key } = await createKey({ name: "plain" });
    expect(key).toMatchObject({ allowedAgents: [], allowedDepartments: [], allowedCustomers: [], maxCostPerEvent: null, mayCreateEntities: false, mayWriteFinalized: false });
  });

  test("rejects unknown agents and customers and finalized periods, per event; accepts the rest", async () => {
    const { secret } = await createKey({ name: "defaults" });
    const result = await send(secret, [
      event("ok-1", { customer: "acme" }),
      event("new-agent", { agent: "brand-new-bot" }),
      event("new-customer", { customer: "brand-new-customer" }),
      event("backdated", { timestamp: "2026-02-10T10:00:00Z" }),
    ]);
    expect(result.accepted).toBe(1);
    expect(errorsById(result)).toEqual({
      "new-agent": ["agent: unknown agent 'brand-new-bot', and this API key may not create agents"],
      "new-customer": ["customer: unknown customer 'brand-new-customer', and this API key may not create customers"],
      backdated: ["timestamp: falls in 2026-02, a finalized billing period, and this API key may not write into finalized periods"],
    });
    const { rows } = await db.query("SELECT (SELECT count(*)::int FROM agents WHERE key = 'brand-new-bot') AS agents, (SELECT count(*)::int FROM customers WHERE key = 'brand-new-customer') AS customers");
    expect(rows[0]).toEqual({ agents: 0, customers: 0 });
  });
});

describe("permissions granted", () => {
  test("may create agents and customers; may write into finalized periods (stored as late)", async () => {
    const { key, secret } = await createKey({ name: "trusted", mayCreateEntities: true, mayWriteFinalized: true });
    expect(key).toMatchObject({ mayCreateEntities: true, mayWriteFinalized: true });
    const result = await send(secret, [event("t-new", { agent: "created-bot", customer: "created-customer" }), event("t-late", { timestamp: "2026-02-10T10:00:00Z" })]);
    expect(result).toMatchObject({ accepted: 2, rejected: [] });
    const { rows } = await db.query("SELECT event_key, late FROM usage_events WHERE event_key IN ('t-new', 't-late') ORDER BY 1");
    expect(rows).toEqual([{ event_key: "t-late", late: true }, { event_key: "t-new", late: false }]);
  });
});

describe("bindings and the cost ceiling", () => {
  let secret: string;
  beforeAll(async () => {
    const created = await createKey({
      name: "bound",
      allowedAgents: ["triage", "shared-bot"],
      allowedDepartments: ["SUPPORT"],
      allowedCustomers: ["acme"],
      maxCostPerEvent: "5.00",
      mayCreateEntities: true,
    });
    expect(created.key).toMatchObject({ allowedAgents: ["triage", "shared-bot"], allowedDepartments: ["SUPPORT"], allowedCustomers: ["acme"], maxCostPerEvent: "5" });
    secret = created.secret;
  });

  test("the JSON API rejects each event outside them with the field named", async () => {
    const result = await send(secret, [
      event("b-ok", { customer: "acme", cost: { amount: "5.00", currency: "USD" } }),
      event("b-agent", { agent: "zzleak-bot" }),
      event("b-dept", { department: "ZZLEAK" }),
      event("b-customer", { customer: "zzleak-customer" }),
      event("b-cost", { cost: { amount: "5.01", currency: "USD" } }),
      event("b-computed", { model: "pricey-model", tokens: { input: 10 } }),
    ]);
    expect(result.accepted).toBe(1);
    expect(errorsById(result)).toEqual({
      // Every reason is reported, not only the first.
      "b-agent": [
        "agent: 'zzleak-bot' is not one of this API key's agents (triage, shared-bot)",
        "department: agent 'zzleak-bot' books to a department outside this API key's departments",
      ],
      "b-dept": ["department: 'ZZLEAK' is outside this API key's departments"],
      "b-customer": ["customer: 'zzleak-customer' is not one of this API key's customers (acme)"],
      "b-cost": ["cost: 5.01 exceeds this API key's ceiling of 5 per event"],
      "b-computed": [expect.stringMatching(/^cost: 10(\.0+)? exceeds this API key's ceiling of 5 per event$/)],
    });
  });

  test("an agent's default department counts when the event names none", async () => {
    await db.query("INSERT INTO agents (key, name, updated_at) VALUES ('homeless-bot', 'Homeless', now())");
    const key = await createKey({ name: "dept-only", allowedDepartments: ["SUPPORT"] });
    const result = await send(key.secret, [event("d-ok"), event("d-leak", { agent: "zzleak-bot" }), event("d-none", { agent: "homeless-bot" })]);
    expect(result.accepted).toBe(1);
    expect(errorsById(result)).toEqual({
      "d-leak": ["department: agent 'zzleak-bot' books to a department outside this API key's departments"],
      "d-none": ["department: required, since this API key is bound to departments and agent 'homeless-bot' has no default department"],
    });
  });

  test("CloudEvents, OTLP and file import apply the same checks", async () => {
    const ce = await fetch(`${app.baseUrl}/api/v1/cloudevents`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/cloudevents-batch+json" },
      body: JSON.stringify([
        { specversion: "1.0", id: "ce-ok", source: "test", type: "agent.action", time: ago(1), subject: "triage" },
        { specversion: "1.0", id: "ce-bad", source: "test", type: "agent.action", time: ago(1), subject: "zzleak-bot" },
      ]),
    });
    expect(ce.status).toBe(200);
    expect(await ce.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, errors: expect.arrayContaining([expect.stringMatching(/^agent: 'zzleak-bot' is not one of this API key's agents/)]) }] });

    const span = (spanId: string, agent: string) => ({
      spanId,
      startTimeUnixNano: String(BigInt(Date.now() - 86_400_000) * 1_000_000n),
      attributes: [
        { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
        { key: "gen_ai.agent.name", value: { stringValue: agent } },
      ],
    });
    const otlp = await fetch(`${app.baseUrl}/api/v1/otlp/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [span("aaaaaaaaaaaaaaa1", "triage"), span("aaaaaaaaaaaaaaa2", "zzleak-bot")] }] }] }),
    });
    expect(otlp.status).toBe(200);
    const body = (await otlp.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe(1);
    expect(body.partialSuccess.errorMessage).toMatch(/agent: 'zzleak-bot' is not one of this API key's agents/);

    const ndjson = [event("imp-ok"), event("imp-bad", { customer: "zzleak-customer" })].map((e) => JSON.stringify(e)).join("\n");
    const imported = await fetch(`${app.baseUrl}/api/v1/imports?format=ndjson&fileName=bound.ndjson`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/x-ndjson" },
      body: ndjson,
    });
    expect(imported.status).toBeLessThan(300);
    expect(await imported.json()).toMatchObject({ accepted: 1, rejected: 1 });
  });
});

test("bad options are a 400 naming the field, and create nothing", async () => {
  const before = (await db.query("SELECT count(*)::int AS n FROM api_keys")).rows[0].n;
  for (const [body, path] of [
    [{ allowedDepartments: ["NO_SUCH"] }, "allowedDepartments"],
    [{ maxCostPerEvent: "-1" }, "maxCostPerEvent"],
    [{ maxCostPerEvent: "0" }, "maxCostPerEvent"],
    [{ allowedAgents: ["Not A Key!"] }, "allowedAgents.0"],
  ] as const) {
    const res = await fetch(`${app.baseUrl}/api/v1/api-keys`, {
      method: "POST",
      headers: { cookie: adminCookie, origin: app.baseUrl, "content-type": "application/json" },
      body: JSON.stringify({ name: "bad", scopes: ["ingest"], ...body }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details.map((d: { path: string }) => d.path)).toContain(path);
  }
  expect((await db.query("SELECT count(*)::int AS n FROM api_keys")).rows[0].n).toBe(before);
});

test("the usage source: set at creation, changed with PATCH (audited, applies from the next request), refused when bad or revoked", async () => {
  const { key, secret } = await createKey({ name: "otel-both", mayCreateEntities: true });
  expect(key.usageSource).toBe("traces");
  const patch = (id: unknown, body: unknown) =>
    fetch(`${app.baseUrl}/api/v1/api-keys/${id}`, { method: "PATCH", headers: { cookie: adminCookie, origin: app.baseUrl, "content-type": "application/json" }, body: JSON.stringify(body) });
  const span = (spanId: string) => ({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "0af7651916cd43dd8448eb211c80319c", spanId, startTimeUnixNano: String(BigInt(Date.now() - 86_400_000) * 1_000_000n), attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "chat" } }, { key: "gen_ai.agent.name", value: { stringValue: "triage" } }] }] }] }],
  });
  const traces = (spanId: string) =>
    fetch(`${app.baseUrl}/api/v1/otlp/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify(span(spanId)) });
  const stored = async () => (await db.query("SELECT count(*)::int AS n FROM usage_events WHERE source = $1", [key.source])).rows[0].n;

  expect((await traces("bbbbbbbbbbbbbbb1")).status).toBe(200);
  expect(await stored()).toBe(1);
  const changed = await patch(key.id, { usageSource: "metrics" });
  expect(changed.status).toBe(200);
  expect(await changed.json()).toMatchObject({ id: key.id, usageSource: "metrics" });
  expect((await traces("bbbbbbbbbbbbbbb2")).status).toBe(200);
  expect(await stored()).toBe(1);
  const audit = await db.query("SELECT before->>'usageSource' AS before, after->>'usageSource' AS after FROM audit_logs WHERE action = 'api_key.update' AND entity_id = $1", [String(key.id)]);
  expect(audit.rows).toEqual([{ before: "traces", after: "metrics" }]);

  const bad = await patch(key.id, { usageSource: "logs" });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.details.map((d: { path: string }) => d.path)).toContain("usageSource");
  expect((await patch(key.id, { usageSource: "traces", name: "x" })).status).toBe(400);
  await fetch(`${app.baseUrl}/api/v1/api-keys/${key.id}`, { method: "DELETE", headers: { cookie: adminCookie, origin: app.baseUrl } });
  expect((await patch(key.id, { usageSource: "traces" })).status).toBe(409);
  expect((await db.query("SELECT usage_source FROM api_keys WHERE id = $1", [key.id])).rows[0].usage_source).toBe("metrics");
});
