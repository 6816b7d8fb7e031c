// Getting started over real HTTP: the latest-event endpoint (department scoping, new events seen), the department
// CSV import (all or nothing, errors per line), the checklist page, and dashboards' empty state for a user with no events.
import bcrypt from "bcryptjs";
import pg from "pg";
import { SpanKind } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { snippets } from "@/components/onboarding/snippet-text";
import { departmentImportResponse, latestEventResponse } from "@/lib/onboarding/schemas";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { callerHeaders, INGEST_KEY, login, PASSWORD, seedFixture, type CallerHeaders } from "./authorization/fixture";

let app: AppServer;
let headers: CallerHeaders;
let pool: pg.Pool;

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  await seedFixture(databaseUrl);
  pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  app = await startAppServer({ databaseUrl });
  headers = await callerHeaders(app.baseUrl);
});

afterAll(async () => {
  await app?.stop();
  await pool?.end();
});

async function latest(who: keyof CallerHeaders) {
  const res = await fetch(`${app.baseUrl}/api/v1/events/latest`, { headers: headers[who] });
  expect(res.status).toBe(200);
  return latestEventResponse.parse(await res.json()).latest;
}

async function ingest(id: string, agent: string, department: string, amount: string) {
  const res = await fetch(`${app.baseUrl}/api/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${INGEST_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ events: [{ id, timestamp: new Date().toISOString(), agent, department, type: "llm.call", cost: { amount, currency: "USD" } }] }),
  });
  expect(await res.json()).toMatchObject({ accepted: 1 });
}

const maxId = async (department: string | null) =>
  (
    await pool.query<{ id: string }>(
      "SELECT max(e.id)::text AS id FROM usage_events e LEFT JOIN departments d ON d.id = e.department_id WHERE $1::text IS NULL OR d.code = $1",
      [department],
    )
  ).rows[0]!.id;

describe("GET /api/v1/events/latest", () => {
  test("the newest event the caller may see; a scoped user never sees another department's", async () => {
    expect((await latest("admin"))?.id).toBe(await maxId(null));
    const scoped = await latest("scoped");
    expect(scoped?.id).toBe(await maxId("SUPPORT"));
    expect(scoped?.agent.key).toBe("triage");
    expect((await latest("readKey"))?.id).toBe(await maxId(null));

    await ingest("gs-leak-1", "zzleak-bot", "ZZLEAK", "0.5");
    const afterLeak = await latest("admin");
    expect(afterLeak).toMatchObject({ type: "llm.call", agent: { key: "zzleak-bot" }, cost: "0.5", currency: "USD" });
    expect((await latest("scoped"))?.id, "an event for another department is not news to a scoped user").toBe(scoped?.id);

    await ingest("gs-support-1", "triage", "SUPPORT", "0.25");
    const afterSupport = await latest("scoped");
    expect(afterSupport).toMatchObject({ agent: { key: "triage" }, cost: "0.25" });
    expect(BigInt(afterSupport!.id)).toBeGreaterThan(BigInt(afterLeak!.id));
  });
});

describe("the OpenTelemetry snippet", () => {
  test("its environment alone points the SDK's OTLP exporter at AgentLedger, authenticated", async () => {
    const env = snippets(app.baseUrl, INGEST_KEY, "USD", new Date().toISOString()).otel;
    const vars = [...env.matchAll(/^export (\w+)="?([^"\n]*)"?$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(vars.map(([name]) => name)).toEqual(["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"]);
    const saved = vars.map(([name]) => [name, process.env[name]] as const);
    for (const [name, value] of vars) process.env[name] = value;
    try {
      const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter())] });
      const span = provider.getTracer("snippet").startSpan("chat gpt-4o", {
        kind: SpanKind.CLIENT,
        attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.agent.name": "otel-snippet-agent", "gen_ai.usage.input_tokens": 10 },
      });
      span.end();
      await provider.forceFlush();
      await provider.shutdown();
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect((await latest("admin"))?.agent.key).toBe("otel-snippet-agent");
  });
});

describe("POST /api/v1/departments/import", () => {
  const post = (body: string, contentType = "text/csv", who: keyof CallerHeaders = "admin") =>
    fetch(`${app.baseUrl}/api/v1/departments/import`, { method: "POST", headers: { ...headers[who], "content-type": contentType }, body });
  const count = async () => Number((await pool.query("SELECT count(*) FROM departments")).rows[0].count);

  test("creates the tree, children before or after their parents, with budgets, each audited", async () => {
    const res = await post("Code,Name,Parent,Monthly Budget\nEMEA-SUP,Support EMEA,OPS,1200.50\nOPS,Operations,,\nTIER2,Tier 2,SUPPORT,300\n");
    expect(res.status).toBe(201);
    const { created } = departmentImportResponse.parse(await res.json());
    expect(created.map((d) => [d.code, d.parent, d.monthlyBudget])).toEqual([
      ["EMEA-SUP", "OPS", "1200.50"],
      ["OPS", null, null],
      ["TIER2", "SUPPORT", "300.00"],
    ]);
    const audits = await pool.query("SELECT entity_id FROM audit_logs WHERE action = 'department.create' AND after->>'via' = 'csv import'");
    expect(audits.rowCount).toBe(3);
  });

  test("any problem: 400 naming each line and column, and nothing is created", async () => {
    const before = await count();
    const res = await post(
      "code,name,parent,monthly_budget\nfinance,Finance,,\nNEW1,New one,NOPE,\nNEW2,,,\nNEW3,Three,,-5\nNEW3,Again,,\n",
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string; message: string }[] } };
    const paths = body.error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["line 2.code", "line 4.name", "line 5.monthly_budget", "line 6.code"]));
    expect(await count()).toBe(before);

    // Database checks come after the file's own: an unknown parent and an existing code.
    const res2 = await post("code,name,parent\nNEW1,New one,NOPE\nOPS,Operations again,\n");
    expect(res2.status).toBe(400);
    const details2 = ((await res2.json()) as { error: { details: { path: string; message: string }[] } }).error.details;
    expect(details2).toEqual(
      expect.arrayContaining([
        { path: "line 2.parent", message: expect.stringContaining("NOPE") },
        { path: "line 3.code", message: expect.stringContaining("already exists") },
      ]),
    );
    const cycle = await post("code,name,parent\nAAA,A,BBB\nBBB,B,AAA\n");
    expect(cycle.status).toBe(400);
    expect(await count()).toBe(before);
  });

  test("the header, the content type and the role are checked", async () => {
    const header = await post("code,title\nX,Y\n");
    expect(header.status).toBe(400);
    expect(JSON.stringify(await header.json())).toContain("unknown column 'title'");
    expect((await post("code,name\n")).status).toBe(400);
    expect((await post('{"code":"X"}', "application/json")).status).toBe(415);
    expect((await post("code,name\nX,Y\n", "text/csv", "finance")).status).toBe(403);
  });
});

describe("pages", () => {
  test("Getting started shows the real endpoints and each step's state", async () => {
    const res = await fetch(`${app.baseUrl}/getting-started`, { headers: headers.admin });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${app.baseUrl}/api/v1/otlp/v1/traces`);
    expect(html).toContain(`${app.baseUrl}/api/v1/events`);
    expect(html).toMatch(/data-testid="step-2" data-done="true"/);
  });

  test("dashboards say what to do next to a user who has no events at all, and show data to one who has", async () => {
    const dept = await pool.query<{ id: number }>("INSERT INTO departments (code, name, updated_at) VALUES ('EMPTY', 'Empty', now()) RETURNING id");
    const user = await pool.query<{ id: number }>(
      "INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('empty@matrix.test', 'Empty', $1, 'viewer', now()) RETURNING id",
      [await bcrypt.hash(PASSWORD, 4)],
    );
    await pool.query("INSERT INTO user_departments (user_id, department_id) VALUES ($1, $2)", [user.rows[0]!.id, dept.rows[0]!.id]);
    const cookie = await login(app.baseUrl, "empty@matrix.test");
    // Invoices are closed to department-scoped users ("Not allowed"), so that page is not in this list.
    for (const path of ["/", "/usage", "/workload", "/roi", "/allocation", "/agents/triage"]) {
      const empty = await (await fetch(`${app.baseUrl}${path}`, { headers: { cookie: cookie! } })).text();
      expect(empty, path).toContain('data-testid="no-events"');
      const full = await (await fetch(`${app.baseUrl}${path}`, { headers: headers.scoped })).text();
      expect(full, path).not.toContain('data-testid="no-events"');
    }
  });
});
