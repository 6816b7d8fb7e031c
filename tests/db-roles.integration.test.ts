// The app's requests run as agentledger_app, which owns nothing: the audit log is append-only for it, it cannot
// run DDL, and a trigger freezes finalized invoices — while the built app, running as that role, still ingests,
// generates drafts, finalizes, voids and rebuilds rollups. Migrations keep running as the owner.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCatalog, createCustomer } from "@/lib/billing/test-fixtures";
import { APP_ROLE, enableAppLogin } from "../scripts/lib/app-role";
import { baseEnv, databaseName, runOrThrow, withDatabase } from "../scripts/lib/common";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { dropTestDatabase } from "./helpers/db";
import { INGEST_KEY, emails, login, seedFixture } from "./authorization/fixture";

const ownerUrl = process.env.DATABASE_URL!;
let app: AppServer;
let asApp: pg.Client;
let finance: Record<string, string>;
let admin: Record<string, string>;

beforeAll(async () => {
  await seedFixture(ownerUrl);
  const { plans } = await createCatalog();
  await createCustomer("globex", plans.growth.id);
  app = await startAppServer({ databaseUrl: ownerUrl });
  finance = { cookie: (await login(app.baseUrl, emails.finance))!, origin: app.baseUrl, "content-type": "application/json" };
  admin = { cookie: (await login(app.baseUrl, emails.admin))!, origin: app.baseUrl, "content-type": "application/json" };
  asApp = new pg.Client({ connectionString: await enableAppLogin(ownerUrl) });
  await asApp.connect();
}, 120_000);

afterAll(async () => {
  await asApp?.end();
  await app?.stop();
});

async function api(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(app.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The SQLSTATE a statement run as the app role fails with (or "ok"). */
async function appSql(sql: string, params: unknown[] = []): Promise<string> {
  try {
    await asApp.query(sql, params);
    return "ok";
  } catch (err) {
    return `${(err as { code?: string }).code}: ${(err as Error).message}`;
  }
}

describe("the built app runs as the app role, end to end", () => {
  let invoiceId = 0;

  test("its connections are agentledger_app's, and the table owner is someone else", async () => {
    await api("GET", "/api/v1/invoices", finance);
    const users = await asApp.query<{ usename: string }>(
      "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    expect(users.rows.map((r) => r.usename)).toContain(APP_ROLE);
    const owner = await asApp.query<{ tableowner: string }>("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_logs'");
    expect(owner.rows[0]!.tableowner).not.toBe(APP_ROLE);
  });

  test("ingest, generate drafts, finalize", async () => {
    const events = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, timestamp: "2026-10-10T12:00:00Z", agent: "triage", type: "agent.action", customer: "globex", quantity: 10 }));
    const ingest = await fetch(`${app.baseUrl}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${INGEST_KEY}`, "content-type": "application/json" }, body: JSON.stringify({ events }) });
    expect(await ingest.json()).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
    const drafts = await api("POST", "/api/v1/invoices/drafts", finance, { period: "2026-10" });
    expect(drafts.status).toBe(200);
    const invoice = (drafts.body.invoices as { id: number; customer: { key: string } | null }[]).find((i) => i.customer?.key === "globex")!;
    invoiceId = invoice.id;
    const finalized = await api("POST", `/api/v1/invoices/${invoiceId}/finalize`, finance);
    expect(finalized).toMatchObject({ status: 200, body: { status: "finalized", number: "INV-000001" } });
  });

  test("the trigger refuses to change a finalized invoice's money, number, period, customer or lines", async () => {
    const { rows } = await asApp.query<{ total: string; lines: number }>("SELECT total::text, (SELECT count(*)::int FROM invoice_lines WHERE invoice_id = $1) AS lines FROM invoices WHERE id = $1", [invoiceId]);
    expect(rows[0]!.lines).toBeGreaterThan(0);
    for (const sql of [
      "UPDATE invoices SET total = total + 1 WHERE id = $1",
      "UPDATE invoices SET subtotal = 0, adjustments_total = 0, total = 0 WHERE id = $1",
      "UPDATE invoices SET number = 99 WHERE id = $1",
      "UPDATE invoices SET period = '2026-11' WHERE id = $1",
      "UPDATE invoices SET customer_id = NULL WHERE id = $1",
      "UPDATE invoices SET status = 'draft' WHERE id = $1",
    ]) {
      expect(await appSql(sql, [invoiceId]), sql).toMatch(/^23514: invoice \d+ is finalized/);
    }
    expect(await appSql("UPDATE invoice_lines SET amount = 0 WHERE invoice_id = $1", [invoiceId])).toMatch(/^23514: .*lines are frozen/);
    expect(await appSql("DELETE FROM invoice_lines WHERE invoice_id = $1", [invoiceId])).toMatch(/^23514: .*lines are frozen/);
    expect(await appSql("INSERT INTO invoice_lines (invoice_id, kind, description, amount) VALUES ($1, 'adjustment', 'sneaky', -50)", [invoiceId])).toMatch(/^23514: .*lines are frozen/);
    expect(await appSql("DELETE FROM invoices WHERE id = $1", [invoiceId])).toMatch(/^23514: .*only drafts can be deleted/);
    const after = await asApp.query<{ total: string }>("SELECT total::text FROM invoices WHERE id = $1", [invoiceId]);
    expect(after.rows[0]!.total).toBe(rows[0]!.total);
  });

  test("finalized -> void still works through the API; a void invoice stays void", async () => {
    const voided = await api("POST", `/api/v1/invoices/${invoiceId}/void`, finance, { reason: "issued by mistake" });
    expect(voided).toMatchObject({ status: 200, body: { status: "void" } });
    expect(await appSql("UPDATE invoices SET status = 'finalized' WHERE id = $1", [invoiceId])).toMatch(/^23514: invoice \d+ is void: it cannot become finalized/);
    // Drafts stay editable: regenerating the month rewrites the other customer's draft lines.
    expect((await api("POST", "/api/v1/invoices/drafts", finance, { period: "2026-10" })).status).toBe(200);
  });

  test("a time zone change rebuilds the rollups (TRUNCATE) as the app role", async () => {
    const res = await api("PATCH", "/api/v1/settings", admin, { timeZone: "Europe/Paris" });
    expect(res.status).toBe(200);
    const hourly = await asApp.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_rollup_hourly");
    expect(hourly.rows[0]!.n).toBeGreaterThan(0);
  });
});

describe("what the app role may not do", () => {
  test("the audit log is append-only: INSERT and SELECT, no UPDATE, DELETE or TRUNCATE", async () => {
    const actions = await asApp.query<{ action: string }>("SELECT action FROM audit_logs WHERE entity = 'invoice' ORDER BY id");
    expect(actions.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["invoice.finalize", "invoice.void"]));
    expect(await appSql("INSERT INTO audit_logs (actor, action, entity) VALUES ('system', 'test.append', 'test')")).toBe("ok");
    expect(await appSql("UPDATE audit_logs SET actor = 'nobody'")).toMatch(/^42501: permission denied for table audit_logs/);
    expect(await appSql("DELETE FROM audit_logs")).toMatch(/^42501: permission denied for table audit_logs/);
    expect(await appSql("TRUNCATE audit_logs")).toMatch(/^42501: permission denied for table audit_logs/);
  });

  test("no DDL: create, alter, drop, disabling the trigger, migration history", async () => {
    expect(await appSql("CREATE TABLE sneaky (id int)")).toMatch(/^42501: permission denied for schema public/);
    expect(await appSql("ALTER TABLE invoices DISABLE TRIGGER invoices_freeze")).toMatch(/^42501: must be owner of table invoices/);
    expect(await appSql("DROP TRIGGER invoice_lines_freeze ON invoice_lines")).toMatch(/^42501: must be owner of (table|relation) invoice_lines/);
    expect(await appSql("DROP TABLE audit_logs")).toMatch(/^42501: must be owner of table audit_logs/);
    expect(await appSql("DELETE FROM _prisma_migrations")).toMatch(/^42501: permission denied/);
    expect(await appSql(`ALTER ROLE ${APP_ROLE} SUPERUSER`)).toMatch(/^42501: (must be superuser|permission denied to alter role)/);
  });
});

test("migrations apply as the owner on a fresh database, and tables created later are granted by default", async () => {
  const fresh = withDatabase(ownerUrl, `${databaseName(ownerUrl)}_fresh`.slice(0, 63));
  const admin = new pg.Client({ connectionString: withDatabase(ownerUrl, "postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(databaseName(fresh))}`);
  await admin.end();
  try {
    await runOrThrow("prisma", ["migrate", "deploy"], { env: baseEnv({ DATABASE_URL: fresh }), stdio: ["ignore", "ignore", "inherit"] });
    const owner = new pg.Client({ connectionString: fresh });
    await owner.connect();
    // A table a later migration (or maintenance, e.g. a new partition) creates as the owner.
    await owner.query("CREATE TABLE later_table (id int)");
    await owner.end();
    const appClient = new pg.Client({ connectionString: await enableAppLogin(fresh) });
    await appClient.connect();
    await appClient.query("INSERT INTO later_table VALUES (1)");
    expect((await appClient.query("SELECT count(*)::int AS n FROM later_table")).rows[0]).toEqual({ n: 1 });
    await expect(appClient.query("UPDATE audit_logs SET actor = 'x'")).rejects.toThrow(/permission denied/);
    await appClient.end();
  } finally {
    await dropTestDatabase(fresh);
  }
}, 120_000);
