// Rate card editor over real HTTP: who may change rate cards, a 400 naming each bad field with nothing written, a
// version created and its charge edited (audited), a version frozen once it priced a finalized invoice, and the
// next version pricing the next month's draft. The app runs as the app role (agentledger_app), as in production.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rateCardList, rateCardView } from "@/lib/billing/rate-card-schemas";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { INGEST_KEY, emails, login, seedFixture } from "./authorization/fixture";

let app: AppServer;
let db: pg.Pool;
const cookies: Record<"admin" | "finance" | "ops", string> = { admin: "", finance: "", ops: "" };

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  await seedFixture(databaseUrl);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  app = await startAppServer({ databaseUrl });
  for (const who of ["admin", "finance", "ops"] as const) cookies[who] = (await login(app.baseUrl, emails[who]))!;
});

afterAll(async () => {
  await app?.stop();
  await db?.end();
});

async function call(method: string, url: string, who: keyof typeof cookies, body?: unknown) {
  const res = await fetch(`${app.baseUrl}${url}`, { method, headers: { cookie: cookies[who], origin: app.baseUrl, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are parsed with the response schemas below
  return { status: res.status, body: (await res.json()) as any };
}
const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);

const card = {
  key: "http-card",
  name: "HTTP card",
  currency: "USD",
  effectiveFrom: "2020-01-01T00:00:00Z",
  charges: [{ meter: "http-actions", model: "per_unit", unitPrice: "0.10", taxCategory: "standard" }],
};

describe("rate cards over HTTP", () => {
  test("finance creates a version, edits a charge (audited), the version freezes once used, and the next version prices the next draft", async () => {
    expect((await call("POST", "/api/v1/meters", "finance", { key: "http-actions", name: "Actions", eventType: "http.action", aggregation: "sum_quantity" })).status).toBe(201);

    // Field errors, nothing written; ops may not write at all.
    const before = await count("SELECT count(*) AS n FROM price_plans");
    const bad = await call("POST", "/api/v1/rate-cards", "finance", { ...card, charges: [{ meter: "http-actions", model: "volume", unitPrice: "0.1", tiers: [{ upTo: "10", unitPrice: "1" }] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(["charges.0.unitPrice", "charges.0.tiers"]);
    expect((await call("POST", "/api/v1/rate-cards", "finance", { ...card, charges: [{ ...card.charges[0], meter: "nope" }] })).body.error.details).toEqual([
      { path: "charges.0.meter", message: "No meter with key nope" },
    ]);
    expect((await call("POST", "/api/v1/rate-cards", "ops", card)).status).toBe(403);
    expect(await count("SELECT count(*) AS n FROM price_plans")).toBe(before);

    const created = await call("POST", "/api/v1/rate-cards", "finance", card);
    expect(created.status).toBe(201);
    const v1 = rateCardView.parse(created.body);
    expect(v1).toMatchObject({ key: "http-card", version: 1, charges: [{ meter: "http-actions", model: "per_unit", unitPrice: "0.1", taxCategory: "standard" }] });
    const edit = await call("PATCH", `/api/v1/rate-cards/${v1.id}/charges/${v1.charges[0]!.id}`, "admin", { unitPrice: "0.12", taxCategory: "reduced" });
    expect(edit.status).toBe(200);
    expect(rateCardView.parse(edit.body).charges[0]).toMatchObject({ unitPrice: "0.12", taxCategory: "reduced" });
    const badEdit = await call("PATCH", `/api/v1/rate-cards/${v1.id}/charges/${v1.charges[0]!.id}`, "admin", { maximumAmount: "1", minimumAmount: "5" });
    expect([badEdit.status, badEdit.body.error.details]).toEqual([400, [{ path: "maximumAmount", message: "Must be at least the floor (minimumAmount)" }]]);
    const audits = (await db.query("SELECT action, actor FROM audit_logs WHERE entity = 'price_plan' AND entity_id = $1 ORDER BY id", [String(v1.id)])).rows;
    expect(audits).toEqual([
      { action: "rate_card.create", actor: expect.stringContaining(emails.finance) },
      { action: "rate_card.charge_update", actor: expect.stringContaining(emails.admin) },
    ]);

    // acme on the card; October billed and finalized at 0.12.
    const acme = (await db.query("SELECT id FROM customers WHERE key = 'acme'")).rows[0].id as number;
    await db.query("INSERT INTO customer_plans (customer_id, plan_id, effective_from) VALUES ($1, $2, '2020-01-01')", [acme, v1.id]);
    const events = [
      { id: "rc-oct", timestamp: "2026-10-10T12:00:00Z", agent: "rc-bot", customer: "acme", type: "http.action", quantity: 100 },
      { id: "rc-nov", timestamp: "2026-11-10T12:00:00Z", agent: "rc-bot", customer: "acme", type: "http.action", quantity: 100 },
    ];
    const sent = await fetch(`${app.baseUrl}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${INGEST_KEY}`, "content-type": "application/json" }, body: JSON.stringify({ events }) });
    expect(await sent.json()).toMatchObject({ accepted: 2, rejected: [] });
    const acmeLine = async (period: string) => {
      expect((await call("POST", "/api/v1/invoices/drafts", "finance", { period })).status).toBe(200);
      const { invoices } = (await call("GET", `/api/v1/invoices?period=${period}&customer=acme`, "finance")).body;
      const invoice = (await call("GET", `/api/v1/invoices/${invoices[0].id}`, "finance")).body;
      return { id: invoices[0].id as number, line: invoice.lines.find((l: { meter: { key: string } | null }) => l.meter?.key === "http-actions") };
    };
    const october = await acmeLine("2026-10");
    expect(october.line).toMatchObject({ amount: "12.00", unitPrice: "0.12", taxCategory: "reduced" });
    expect((await call("POST", `/api/v1/invoices/${october.id}/finalize`, "finance")).status).toBe(200);

    const frozen = await call("PATCH", `/api/v1/rate-cards/${v1.id}/charges/${v1.charges[0]!.id}`, "admin", { unitPrice: "1" });
    expect(frozen.status).toBe(409);
    expect(frozen.body.error.message).toMatch(/^http-card@v1 priced finalized invoices \(INV-\d{6}\) and cannot change: create a new version$/);
    // Starting before October would re-price the finalized October (a late re-rating): refused on the field.
    const early = await call("POST", "/api/v1/rate-cards", "finance", { ...card, effectiveFrom: "2026-09-15T00:00:00Z" });
    expect([early.status, early.body.error.details[0].path]).toEqual([400, "effectiveFrom"]);

    const v2 = rateCardView.parse((await call("POST", "/api/v1/rate-cards", "finance", { ...card, effectiveFrom: "2026-11-01T00:00:00Z", charges: [{ ...card.charges[0], unitPrice: "0.20" }] })).body);
    expect(v2.version).toBe(2);
    const list = rateCardList.parse((await call("GET", "/api/v1/rate-cards", "finance")).body);
    expect(list.items.filter((p) => p.key === "http-card").map((p) => [p.version, p.lockedBy.length])).toEqual([[1, 1], [2, 0]]);

    const november = await acmeLine("2026-11");
    expect(november.line).toMatchObject({ amount: "20.00", unitPrice: "0.2", usageRef: expect.objectContaining({ plan: "http-card@v2" }) });
    // The finalized October invoice is as issued.
    expect((await call("GET", `/api/v1/invoices/${october.id}`, "finance")).body.lines.find((l: { meter: { key: string } | null }) => l.meter?.key === "http-actions")).toMatchObject({ amount: "12.00" });
  });
});
