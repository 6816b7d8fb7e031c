// FX rates over real HTTP (issue 20, foundation): PUT all-or-nothing with a 400 naming the field, GET filtered and
// paged with a read key, the ECB files imported raw and as a multipart upload (preview writes nothing), who may
// change what, and the audit trail. The app runs as the app role (agentledger_app), as in production.
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fxImportResponse, fxPendingResponse, fxRateListResponse, fxUpsertResponse } from "@/lib/currency/schemas";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { INGEST_KEY, READ_KEY, emails, login, seedFixture } from "./authorization/fixture";

let app: AppServer;
let db: pg.Pool;
let adminCookie: string;
let financeCookie: string;
const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures/ecb", name), "utf8");

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  await seedFixture(databaseUrl);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  app = await startAppServer({ databaseUrl });
  adminCookie = (await login(app.baseUrl, emails.admin))!;
  financeCookie = (await login(app.baseUrl, emails.finance))!;
});

afterAll(async () => {
  await app?.stop();
  await db?.end();
});

const session = (cookie: string, type = "application/json") => ({ cookie, origin: app.baseUrl, "content-type": type });
async function call(method: string, url: string, headers: Record<string, string>, body?: BodyInit) {
  const res = await fetch(`${app.baseUrl}${url}`, { method, headers, body });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are parsed with the response schemas below
  return { status: res.status, body: (await res.json()) as any };
}
const put = (rates: unknown[], cookie = adminCookie) => call("PUT", "/api/v1/fx-rates", session(cookie), JSON.stringify({ rates }));
const stored = async () => (await db.query("SELECT count(*)::int AS n FROM fx_rates")).rows[0].n as number;

describe("PUT /api/v1/fx-rates", () => {
  test("upserts a batch; one bad rate is a 400 naming its field and nothing is written", async () => {
    const ok = await put([
      { base: "usd", quote: "JPY", date: "2026-11-20", rate: "153.21" },
      { base: "GBP", quote: "KWD", date: "2026-11-20", rate: 0.388125, source: "manual" },
    ]);
    expect(ok.status).toBe(200);
    expect(fxUpsertResponse.parse(ok.body)).toEqual({ created: 2, updated: 0, unchanged: 0, changes: [], conversionRunId: expect.any(Number) });

    const bad = await put([
      { base: "USD", quote: "JPY", date: "2026-11-20", rate: "154" },
      { base: "USD", quote: "HRK", date: "2026-11-20", rate: "7" },
      { base: "USD", quote: "CHF", date: "2026-11-31", rate: "0.9" },
      { base: "USD", quote: "CAD", date: "2026-11-20", rate: "-1" },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(["rates.1.quote", "rates.2.date", "rates.3.rate"]);
    expect((await db.query("SELECT rate::text FROM fx_rates WHERE base = 'USD' AND quote = 'JPY'")).rows[0].rate).toBe("153.210000000000000");

    const changed = await put([{ base: "USD", quote: "JPY", date: "2026-11-20", rate: "154" }]);
    expect(changed.body).toMatchObject({ created: 0, updated: 1, changes: [{ rate: "154", previous: "153.21" }] });
    const audit = (await db.query("SELECT actor, before, after FROM audit_logs WHERE action = 'fx_rate.upsert' ORDER BY id")).rows;
    expect(audit).toHaveLength(2);
    expect(audit[1]).toMatchObject({ actor: emails.admin, before: [{ base: "USD", quote: "JPY", rate: "153.21" }] });
  });

  test("only admins: finance is refused and nothing changes", async () => {
    const before = await stored();
    expect((await put([{ base: "EUR", quote: "USD", date: "2026-11-20", rate: "1.04" }], financeCookie)).status).toBe(403);
    expect(await stored()).toBe(before);
  });
});

describe("POST /api/v1/fx-rates/import", () => {
  test("an ECB XML file as the raw body: preview writes nothing, apply writes it all", async () => {
    const before = await stored();
    const url = "/api/v1/fx-rates/import?format=ecb-xml";
    const preview = await call("POST", url, session(adminCookie, "application/xml"), fixture("eurofxref-daily.xml"));
    expect(preview.status).toBe(200);
    expect(fxImportResponse.parse(preview.body)).toMatchObject({ mode: "preview", rates: 17, from: "2026-11-27", to: "2026-11-27", created: 17 });
    expect(await stored()).toBe(before);
    const applied = await call("POST", `${url}&mode=apply`, session(adminCookie, "application/xml"), fixture("eurofxref-daily.xml"));
    expect(applied.body).toMatchObject({ mode: "apply", created: 17 });
    expect(await stored()).toBe(before + 17);
    const audit = (await db.query("SELECT after FROM audit_logs WHERE action = 'fx_rate.import'")).rows;
    expect(audit).toMatchObject([{ after: { format: "ecb-xml", created: 17, sources: ["ecb"] } }]);
  });

  test("the ECB history CSV as a multipart upload (a browser form)", async () => {
    const form = new FormData();
    form.set("file", new Blob([fixture("eurofxref-hist.csv")], { type: "text/csv" }), "eurofxref-hist.csv");
    const res = await fetch(`${app.baseUrl}/api/v1/fx-rates/import?format=ecb-csv&mode=apply`, { method: "POST", headers: { cookie: adminCookie, origin: app.baseUrl }, body: form });
    expect(res.status).toBe(200);
    const body = fxImportResponse.parse(await res.json());
    // The daily XML already stored 17 of 2026-11-27's 29 rates with the same values.
    expect(body).toMatchObject({ rates: 118, created: 101, updated: 0, unchanged: 17, from: "2007-12-31", to: "2026-11-27" });
    expect(body.skippedCurrencies).toEqual(["CYP", "EEK", "HRK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL"]);
  });

  test("a bad file is a 400 per problem; an unsupported type a 415; finance a 403", async () => {
    const before = await stored();
    const bad = await call("POST", "/api/v1/fx-rates/import?format=csv&mode=apply", session(adminCookie, "text/csv"), "base,quote,date,rate\nEUR,CHF,2026-10-01,0.93\nEUR,CHF,2026-10-02,n/a\n");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: "line 3.rate", message: expect.stringContaining("\"n/a\"") }]);
    expect((await call("POST", "/api/v1/fx-rates/import?format=csv", session(adminCookie, "application/json"), "{}")).status).toBe(415);
    expect((await call("POST", "/api/v1/fx-rates/import?format=xls", session(adminCookie, "text/csv"), "x")).body.error.details[0].path).toBe("format");
    expect((await call("POST", "/api/v1/fx-rates/import?format=csv&mode=apply", session(financeCookie, "text/csv"), "base,quote,date,rate\nEUR,CHF,2026-10-01,0.93\n")).status).toBe(403);
    expect(await stored()).toBe(before);
  });
});

describe("GET /api/v1/fx-rates", () => {
  test("a read key pages through a filter in date order", async () => {
    const auth = { authorization: `Bearer ${READ_KEY}` };
    const dates: string[] = [];
    let cursor = "";
    for (let pages = 0; pages < 10; pages++) {
      const res = await call("GET", `/api/v1/fx-rates?base=EUR&quote=USD&limit=2${cursor ? `&cursor=${cursor}` : ""}`, auth);
      expect(res.status).toBe(200);
      const page = fxRateListResponse.parse(res.body);
      dates.push(...page.items.map((r) => r.date));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(dates).toEqual(["2026-11-27", "2026-11-26", "2026-11-25", "2007-12-31"]);
    const bad = await call("GET", "/api/v1/fx-rates?base=XYZ&from=2026-02-30", auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["base", "from"]);
  });
});

describe("costs awaiting a rate", () => {
  test("events in CHF with no rate are pending; a PUT rate converts them through the recompute job", async () => {
    const events = [1, 2, 3].map((n) => ({ id: `fx-pending-${n}`, timestamp: "2019-03-1" + n + "T12:00:00Z", agent: "fx-bot", type: "llm.call", cost: { amount: "10.5", currency: "CHF" } }));
    const sent = await call("POST", "/api/v1/events", { authorization: `Bearer ${INGEST_KEY}`, "content-type": "application/json" }, JSON.stringify({ events }));
    expect(sent.body).toMatchObject({ accepted: 3, rejected: [] });
    const unknown = await call("POST", "/api/v1/events", { authorization: `Bearer ${INGEST_KEY}`, "content-type": "application/json" }, JSON.stringify({ events: [{ ...events[0], id: "fx-x", cost: { amount: "1", currency: "XXX" } }] }));
    expect(unknown.body.rejected[0].errors).toEqual(["cost.currency: 'XXX' is not an active ISO 4217 currency code"]);

    const pending = await call("GET", "/api/v1/fx-rates/pending", { authorization: `Bearer ${READ_KEY}` });
    expect(pending.status).toBe(200);
    expect(fxPendingResponse.parse(pending.body).items.filter((i) => i.currency === "CHF" && i.day.startsWith("2019-03"))).toEqual([
      { currency: "CHF", day: "2019-03-13", events: 1, amount: "10.5" },
      { currency: "CHF", day: "2019-03-12", events: 1, amount: "10.5" },
      { currency: "CHF", day: "2019-03-11", events: 1, amount: "10.5" },
    ]);

    // One rate dated 2019-03-12 serves the 12th and 13th (the 11th is before it and stays pending).
    const written = await put([{ base: "CHF", quote: "USD", date: "2019-03-12", rate: "1.1" }]);
    expect(written.body.conversionRunId).toEqual(expect.any(Number));
    await expect.poll(async () => (await db.query("SELECT status FROM recompute_runs WHERE id = $1", [written.body.conversionRunId])).rows[0].status, { timeout: 20_000 }).toBe("done");
    const { rows } = await db.query("SELECT event_key, cost::text, fx_pending, to_char(fx_rate_date, 'YYYY-MM-DD') AS date FROM usage_events WHERE event_key LIKE 'fx-pending-%' ORDER BY event_key");
    expect(rows).toEqual([
      { event_key: "fx-pending-1", cost: "0.0000000000", fx_pending: true, date: null },
      { event_key: "fx-pending-2", cost: "11.5500000000", fx_pending: false, date: "2019-03-12" },
      { event_key: "fx-pending-3", cost: "11.5500000000", fx_pending: false, date: "2019-03-12" },
    ]);
    const after = fxPendingResponse.parse((await call("GET", "/api/v1/fx-rates/pending", session(adminCookie))).body);
    expect(after.items.filter((i) => i.currency === "CHF" && i.day.startsWith("2019-03"))).toEqual([{ currency: "CHF", day: "2019-03-11", events: 1, amount: "10.5" }]);
  });
});
