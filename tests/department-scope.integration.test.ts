// Department scope over real HTTP (issue 14, items 5 and 6): a department-scoped user cannot change another
// department's budget, agents, rules or alerts, nor anything organisation-wide; and sees organisation-wide billing
// data nowhere, while rules and the FOCUS export are narrowed to their departments. The fixture is the
// authorization matrix's (SUPPORT in scope, ZZLEAK not), plus a legacy department-scoped admin written straight
// to the database (the users API no longer allows one) to reach the admin-only department mutations.
import bcrypt from "bcryptjs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { emails, LEAK_AMOUNTS, LEAK_MARKER, login, PASSWORD, seedFixture } from "./authorization/fixture";

let app: AppServer;
let db: pg.Pool;
let ids: { support: number; leak: number };
const cookies: Record<"admin" | "scopedFinance" | "scopedAdmin" | "scoped", string> = { admin: "", scopedFinance: "", scopedAdmin: "", scoped: "" };

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  ids = await seedFixture(databaseUrl);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const u = await db.query<{ id: number }>(
    "INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('scoped-admin@matrix.test', 'Scoped admin', $1, 'admin', now()) RETURNING id",
    [await bcrypt.hash(PASSWORD, 4)],
  );
  await db.query("INSERT INTO user_departments (user_id, department_id) VALUES ($1, $2)", [u.rows[0]!.id, ids.support]);
  app = await startAppServer({ databaseUrl });
  for (const [name, email] of [["admin", emails.admin], ["scopedFinance", emails.scopedFinance], ["scopedAdmin", "scoped-admin@matrix.test"], ["scoped", emails.scoped]] as const) {
    const c = await login(app.baseUrl, email);
    if (!c) throw new Error(`could not sign in as ${name}`);
    cookies[name] = c;
  }
});

afterAll(async () => {
  await app?.stop();
  await db?.end();
});

function call(who: keyof typeof cookies, method: string, path: string, body?: unknown) {
  return fetch(app.baseUrl + path, {
    method,
    headers: { cookie: cookies[who], origin: app.baseUrl, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Everything about ZZLEAK a scoped user might try to change. */
async function leakState() {
  const { rows } = await db.query(
    `SELECT d.monthly_budget::text AS budget, d.name, d.parent_id,
       (SELECT count(*)::int FROM budget_thresholds WHERE department_id = d.id) AS thresholds,
       (SELECT department_id FROM agents WHERE key = 'zzleak-bot') AS agent_department,
       (SELECT name FROM agents WHERE key = 'zzleak-bot') AS agent_name,
       (SELECT count(*)::int FROM agents) AS agents,
       (SELECT count(*)::int FROM allocation_rules) AS rules,
       (SELECT count(*)::int FROM departments) AS departments,
       (SELECT status FROM alerts WHERE key = 'zzleak-budget') AS alert,
       (SELECT count(*)::int FROM customers) AS customers,
       (SELECT count(*)::int FROM api_keys) AS keys,
       (SELECT count(*)::int FROM users) AS users
     FROM departments d WHERE d.code = 'ZZLEAK'`,
  );
  return rows[0];
}

describe("changes outside the caller's departments are 403 and change nothing", () => {
  test("a scoped finance user cannot set another department's budget, but can set their own", async () => {
    const before = await leakState();
    const res = await call("scopedFinance", "PUT", "/api/v1/departments/ZZLEAK/budget", { monthlyBudget: "999999.00", thresholds: [{ basis: "spend", percent: 50 }] });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/outside your departments/);
    // Unknown codes answer the same, so the status does not reveal which departments exist.
    expect((await call("scopedFinance", "PUT", "/api/v1/departments/NO_SUCH/budget", { monthlyBudget: "1.00" })).status).toBe(403);
    expect(await leakState()).toEqual(before);
    const own = await call("scopedFinance", "PUT", "/api/v1/departments/SUPPORT/budget", { monthlyBudget: "1234.00" });
    expect(own.status).toBe(200);
    expect((await own.json()).monthlyBudget).toBe("1234.00");
    // An unscoped finance user is not affected.
    const admin = await call("admin", "PUT", "/api/v1/departments/ZZLEAK/budget", { monthlyBudget: null });
    expect(admin.status).toBe(200);
  });

  test("every mutation class: departments, agents, rules, alerts, and organisation-wide changes", async () => {
    const before = await leakState();
    const rule = await db.query<{ id: number }>("SELECT id FROM allocation_rules LIMIT 1");
    const attempts: [keyof typeof cookies, string, string, unknown][] = [
      ["scopedAdmin", "PATCH", "/api/v1/departments/ZZLEAK", { name: "Taken over" }],
      ["scopedAdmin", "PATCH", "/api/v1/departments/SUPPORT", { parent: "ZZLEAK" }],
      ["scopedAdmin", "POST", "/api/v1/departments", { code: "NEWDEPT", name: "New" }],
      ["scopedAdmin", "POST", "/api/v1/departments/ZZLEAK/agents", { agent: "triage" }],
      ["scopedAdmin", "POST", "/api/v1/departments/SUPPORT/agents", { agent: "zzleak-bot" }],
      ["scopedAdmin", "POST", "/api/v1/agents", { key: "new-bot", name: "New bot", departmentId: ids.leak }],
      ["scopedAdmin", "POST", "/api/v1/agents", { key: "orphan-bot", name: "Orphan bot" }],
      ["scopedAdmin", "PATCH", "/api/v1/agents/zzleak-bot", { name: "Renamed" }],
      ["scopedAdmin", "PATCH", "/api/v1/agents/triage", { departmentId: ids.leak }],
      ["scopedAdmin", "POST", "/api/v1/allocation-rules", { agent: "triage", method: "fixed", effectiveFrom: "2030-01-01", shares: [{ department: "SUPPORT", percent: "50" }, { department: "ZZLEAK", percent: "50" }] }],
      ["scopedAdmin", "DELETE", `/api/v1/allocation-rules/${rule.rows[0]!.id}`, undefined],
      ["scopedAdmin", "POST", "/api/v1/users", { email: "x@matrix.test", name: "X", role: "admin" }],
      ["scopedAdmin", "POST", "/api/v1/api-keys", { name: "sneaky", scopes: ["ingest"] }],
      ["scopedAdmin", "PATCH", "/api/v1/settings", { name: "Taken" }],
      ["scopedAdmin", "POST", "/api/v1/alerts/webhooks", { url: "https://example.com/hook" }],
      ["scopedFinance", "POST", "/api/v1/customers", { key: "new-customer", name: "New" }],
      ["scopedFinance", "POST", "/api/v1/invoices/drafts", { period: "2026-03" }],
      ["scopedFinance", "PATCH", "/api/v1/roi/assumptions/case_resolved", { baselineMinutes: "1" }],
    ];
    const alert = await db.query<{ id: number }>("SELECT id FROM alerts WHERE key = 'zzleak-budget'");
    attempts.push(["scopedFinance", "POST", `/api/v1/alerts/${alert.rows[0]!.id}/acknowledge`, undefined]);
    const results = await Promise.all(attempts.map(async ([who, method, path, body]) => `${who} ${method} ${path} → ${(await call(who, method, path, body)).status}`));
    expect(results).toEqual(attempts.map(([who, method, path]) => `${who} ${method} ${path} → 403`));
    expect(await leakState()).toEqual(before);
    // Inside their department the same admin still works.
    expect((await call("scopedAdmin", "PATCH", "/api/v1/departments/SUPPORT", { name: "Support desk" })).status).toBe(200);
    expect((await call("scopedAdmin", "PATCH", "/api/v1/agents/triage", { name: "Triage" })).status).toBe(200);
  });

  test("an admin cannot be given a department scope through the users API", async () => {
    const res = await call("admin", "POST", "/api/v1/users", { email: "scoped-admin-2@matrix.test", name: "Y", role: "admin", departmentIds: [ids.support] });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details).toEqual([{ path: "departmentIds", message: expect.stringMatching(/admin cannot be limited/) }]);
  });
});

describe("what department-scoped users see", () => {
  test("invoices, customers, plans and commitments: 403 on the API and 'Not allowed' on the pages", async () => {
    const invoice = (await db.query<{ id: number }>("SELECT id FROM invoices LIMIT 1")).rows[0]!.id;
    const customer = (await db.query<{ id: number }>("SELECT id FROM customers WHERE key = 'zzleak-customer'")).rows[0]!.id;
    for (const who of ["scoped", "scopedFinance"] as const) {
      for (const path of ["/api/v1/invoices", `/api/v1/invoices/${invoice}`, `/api/v1/invoices/${invoice}/csv`, `/api/v1/invoices/${invoice}/pdf`, "/api/v1/customers", `/api/v1/customers/${customer}`]) {
        const res = await call(who, "GET", path);
        expect(res.status, `${who} ${path}`).toBe(403);
        expect(await res.text()).not.toContain(LEAK_MARKER);
      }
      for (const page of ["/invoices", `/invoices/${invoice}`, "/customers", "/customers/zzleak-customer", "/admin/customers"]) {
        const html = await (await call(who, "GET", page)).text();
        expect(html, `${who} ${page}`).toContain("Not allowed");
        // The customer's key is in the URL itself (so in the page's router state): look for its name and amounts.
        expect(html).not.toContain("Zzleak Customer");
        for (const amount of LEAK_AMOUNTS) expect(html).not.toContain(amount);
      }
    }
    expect((await call("admin", "GET", `/api/v1/invoices/${invoice}`)).status).toBe(200);
  });

  test("allocation rules: only rules touching their departments, other departments' shares summed", async () => {
    const admin = await (await call("admin", "GET", "/api/v1/allocation-rules")).json();
    expect(admin.rules[0].shares).toEqual([{ department: "SUPPORT", percent: "60" }, { department: "ZZLEAK", percent: "40" }]);
    const res = await call("scopedFinance", "GET", "/api/v1/allocation-rules");
    expect(res.status).toBe(200);
    const scoped = await res.json();
    expect(scoped.rules).toHaveLength(1);
    expect(scoped.rules[0].shares).toEqual([{ department: "SUPPORT", percent: "60" }, { department: "(other departments)", percent: "40" }]);
  });

  test("FOCUS export, filter options and property names hold only their departments' data", async () => {
    const focus = await (await call("scoped", "GET", "/api/v1/exports/focus?period=2026-03")).text();
    const adminFocus = await (await call("admin", "GET", "/api/v1/exports/focus?period=2026-03")).text();
    expect(adminFocus).toContain("ZZLEAK");
    expect(focus).toContain("SUPPORT");
    expect(focus.toLowerCase()).not.toContain(LEAK_MARKER);
    for (const amount of LEAK_AMOUNTS) expect(focus).not.toContain(amount);
    // Filter options are rendered into the dashboards' filter bars.
    for (const page of ["/usage?from=2026-03-01&to=2026-03-31", "/workload", "/roi"]) {
      const html = await (await call("scoped", "GET", page)).text();
      expect(html.toLowerCase(), page).not.toContain(LEAK_MARKER);
    }
    // The fixture's events of yesterday put ZZLEAK's model, type and customer into an unscoped user's options.
    const adminUsage = await (await call("admin", "GET", "/usage")).text();
    for (const option of ["zzleak-model", "zzleak.type", "Zzleak Customer"]) expect(adminUsage).toContain(option);
    const scopedUsage = await (await call("scopedFinance", "GET", "/usage")).text();
    expect(scopedUsage.toLowerCase()).not.toContain(LEAK_MARKER);
    const dims = await (await call("scoped", "GET", "/api/v1/dimensions")).json();
    expect(dims.candidates).toContain("channel");
    expect(dims.candidates).not.toContain("zzleak_prop");
  });
});
