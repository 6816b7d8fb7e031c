// Over real HTTP: every money input is bounded by its column (a 400 naming the field, nothing changed), an
// adjustment cannot take an invoice total below 0, and CSVs neutralise cells a spreadsheet would run as formulas.
import { parse } from "csv-parse/sync";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCatalog, createCustomer } from "@/lib/billing/test-fixtures";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { INGEST_KEY, emails, login, seedFixture } from "./authorization/fixture";

const ownerUrl = process.env.DATABASE_URL!;
const MALICIOUS = "-1+1+cmd|' /C calc'!A0";
let app: AppServer;
let owner: pg.Client;
let finance: Record<string, string>;
let admin: Record<string, string>;
const ingestHeaders = { authorization: `Bearer ${INGEST_KEY}`, "content-type": "application/json" };

beforeAll(async () => {
  await seedFixture(ownerUrl);
  const { plans } = await createCatalog();
  await createCustomer("globex", plans.growth.id);
  owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  app = await startAppServer({ databaseUrl: ownerUrl });
  finance = { cookie: (await login(app.baseUrl, emails.finance))!, origin: app.baseUrl, "content-type": "application/json" };
  admin = { cookie: (await login(app.baseUrl, emails.admin))!, origin: app.baseUrl, "content-type": "application/json" };
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await app?.stop();
});

async function api(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(app.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as { error?: { message: string; details?: { path: string; message: string }[] } } & Record<string, unknown>, text };
}

const detailPaths = (r: Awaited<ReturnType<typeof api>>) => (r.body.error?.details ?? []).map((d) => d.path);

describe("adjustments", () => {
  let invoiceId = 0;
  let total = "";

  beforeAll(async () => {
    const events = [{ id: "adj-1", timestamp: "2026-10-10T12:00:00Z", agent: "triage", type: "agent.action", customer: "globex", quantity: 10 }];
    await fetch(`${app.baseUrl}/api/v1/events`, { method: "POST", headers: ingestHeaders, body: JSON.stringify({ events }) });
    const drafts = await api("POST", "/api/v1/invoices/drafts", finance, { period: "2026-10" });
    const invoice = (drafts.body.invoices as { id: number; total: string; customer: { key: string } | null }[]).find((i) => i.customer?.key === "globex")!;
    invoiceId = invoice.id;
    total = invoice.total;
    expect(Number(total)).toBeGreaterThan(0);
  });

  const adjust = (amount: unknown) => api("POST", `/api/v1/invoices/${invoiceId}/adjustments`, finance, { amount, reason: "bounds test" });
  // The column holds 4 decimals (3-decimal currencies); this invoice is in USD, which the API prints with 2.
  const storedTotal = async () => (await owner.query<{ total: string }>("SELECT round(total, 2)::text AS total FROM invoices WHERE id = $1", [invoiceId])).rows[0]!.total;

  test("1e20 (as a number or a string) and other amounts past numeric(18,2) are a 400 naming amount, not a 500", async () => {
    for (const amount of [1e20, -1e20, "1e20", "100000000000000000", "10000000000000000.00", "0.001"]) {
      const res = await adjust(amount);
      expect(res.status, `${amount}: ${res.text}`).toBe(400);
      expect(detailPaths(res), String(amount)).toEqual(["amount"]);
    }
    expect((await adjust(1e20)).body.error!.details![0]!.message).toBe("must be between -9999999999999999.99 and 9999999999999999.99");
    expect(await storedTotal()).toBe(total);
  });

  test("an adjustment that would take the total below 0 is a 400 pointing to credit notes; exactly 0 is allowed", async () => {
    const over = (-(Number(total) + 0.01)).toFixed(2);
    const res = await adjust(over);
    expect(res.status).toBe(400);
    expect(res.body.error!.message).toMatch(/may not go below 0\. Credit beyond the total belongs on a credit note, issued once the invoice is finalized/);
    expect(detailPaths(res)).toEqual(["amount"]);
    expect(await storedTotal()).toBe(total);

    expect((await adjust(`-${total}`)).status).toBe(201);
    expect(await storedTotal()).toBe("0.00");
    expect((await adjust("-0.01")).status).toBe(400);
    expect((await adjust("12.5")).status).toBe(201);
    expect(await storedTotal()).toBe("12.50");
  });

  test("a positive adjustment that would overflow the total is a 400", async () => {
    const res = await adjust("9999999999999999.99");
    expect(res.status).toBe(400);
    expect(detailPaths(res)).toEqual(["amount"]);
    expect(await storedTotal()).toBe("12.50");
  });
});

describe("every other money input is bounded by its column", () => {
  const cases: { name: string; method: string; path: string; body: Record<string, unknown>; field: string }[] = [
    { name: "department budget", method: "PUT", path: "/api/v1/departments/SUPPORT/budget", body: { monthlyBudget: 1e20 }, field: "monthlyBudget" },
    { name: "department budget, 3 decimals", method: "PUT", path: "/api/v1/departments/SUPPORT/budget", body: { monthlyBudget: "10.001" }, field: "monthlyBudget" },
    { name: "new department budget", method: "POST", path: "/api/v1/departments", body: { code: "BIG", name: "Big", monthlyBudget: "1e20" }, field: "monthlyBudget" },
    { name: "task type hourly cost", method: "POST", path: "/api/v1/task-types", body: { key: "t1", name: "T", baselineMinutes: "5", loadedHourlyCost: "10000000000" }, field: "loadedHourlyCost" },
    { name: "task type minutes", method: "POST", path: "/api/v1/task-types", body: { key: "t2", name: "T", baselineMinutes: "1e20", loadedHourlyCost: "5" }, field: "baselineMinutes" },
    { name: "ROI hourly cost", method: "PATCH", path: "/api/v1/roi/assumptions/case_resolved", body: { loadedHourlyCost: "99999999999" }, field: "loadedHourlyCost" },
    {
      name: "model price per 1M tokens",
      method: "POST",
      path: "/api/v1/model-prices",
      body: { model: "m", provider: "p", currency: "USD", inputPerMTok: 1e20, outputPerMTok: "1", effectiveFrom: "2026-01-01T00:00:00Z" },
      field: "inputPerMTok",
    },
    { name: "allocation share percent", method: "POST", path: "/api/v1/allocation-rules", body: { agent: "triage", method: "fixed", effectiveFrom: "2026-01-01", shares: [{ department: "SUPPORT", percent: 1e20 }] }, field: "shares.0.percent" },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const res = await api(c.method, c.path, admin, c.body);
      expect(res.status, res.text).toBe(400);
      expect(detailPaths(res)).toContain(c.field);
    });
  }

  test("nothing was stored", async () => {
    const budget = await owner.query("SELECT monthly_budget FROM departments WHERE code = 'SUPPORT'");
    expect(budget.rows[0]).toEqual({ monthly_budget: null });
    const counts = await owner.query("SELECT (SELECT count(*)::int FROM task_types WHERE key IN ('t1', 't2')) AS t, (SELECT count(*)::int FROM model_prices WHERE model = 'm') AS m");
    expect(counts.rows[0]).toEqual({ t: 0, m: 0 });
  });

  test("an ingested cost past numeric(20,10) is rejected with its field", async () => {
    const events = [{ id: "big-cost", timestamp: "2026-10-10T12:00:00Z", agent: "triage", type: "agent.action", cost: { amount: 1e20, currency: "USD" } }];
    const res = await fetch(`${app.baseUrl}/api/v1/events`, { method: "POST", headers: ingestHeaders, body: JSON.stringify({ events }) });
    const body = (await res.json()) as { rejected: { errors: string[] }[] };
    expect(body.rejected[0]!.errors).toEqual([expect.stringMatching(/^cost\.amount: must be at most 9999999999\.9999999999$/)]);
  });
});

describe("CSV formula injection", () => {
  test("the showback CSV neutralises an agent key that a spreadsheet would run", async () => {
    const events = [{ id: "evil-1", timestamp: "2026-09-10T12:00:00Z", agent: MALICIOUS, department: "SUPPORT", type: "agent.action", cost: { amount: "2.50", currency: "USD" } }];
    const ingest = await fetch(`${app.baseUrl}/api/v1/events`, { method: "POST", headers: ingestHeaders, body: JSON.stringify({ events }) });
    expect(await ingest.json()).toMatchObject({ accepted: 1 });
    const res = await fetch(`${app.baseUrl}/api/v1/allocation/SUPPORT?period=2026-09&format=csv`, { headers: finance });
    expect(res.status).toBe(200);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    const evil = rows.find((r) => r.agent_key!.includes("cmd|"))!;
    expect(evil.agent_key).toBe(`'${MALICIOUS}`);
    expect(evil.agent_name).toBe(`'${MALICIOUS}`);
    // Amounts stay numbers.
    expect(evil.amount).toBe("2.50");
  });

  test("the import error report neutralises ids starting with a tab or a carriage return", async () => {
    const rows = ["\t=1+1", "\r=2+2", "@SUM(A1)"].map((id) => JSON.stringify({ id, timestamp: "not a time", agent: "x", type: "agent.action" }));
    const res = await fetch(`${app.baseUrl}/api/v1/imports?fileName=evil.ndjson`, {
      method: "POST",
      headers: { authorization: `Bearer ${INGEST_KEY}`, "content-type": "application/x-ndjson" },
      body: rows.join("\n") + "\n",
    });
    const job = (await res.json()) as { rejected: number; errorReportUrl: string };
    expect(job.rejected).toBe(3);
    const report = await fetch(`${app.baseUrl}${job.errorReportUrl}`, { headers: { authorization: `Bearer ${INGEST_KEY}` } });
    const parsed = parse(await report.text(), { columns: true }) as { row: string; id: string }[];
    expect(parsed.map((r) => r.id)).toEqual(["'\t=1+1", "'\r=2+2", "'@SUM(A1)"]);
  });
});
