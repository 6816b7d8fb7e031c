// FOCUS import end to end against PostgreSQL: the FinOps Foundation's FOCUS 1.0 sample (totals computed here from
// the file), generated Bedrock / Azure OpenAI / Vertex AI rows through the default AI filter, credits, day
// spreading in a non-UTC zone, another currency, idempotent re-import, gzip, restatement, and a round trip of
// AgentLedger's own FOCUS export.
import fs from "node:fs";
import { gzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Decimal } from "@/lib/allocation/decimal";
import type { UserCaller } from "@/lib/auth/caller";
import { focusCsv } from "@/lib/billing/focus";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { stopWorker } from "@/lib/jobs/queue";
import { forgetOrgSettings } from "@/lib/org";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { seedBasics } from "@/tests/helpers/db";
import { processFocusImport, queueFocusImport } from "./run";
import { getFocusSettings, previewFocus, updateFocusSettings } from "./settings";
import { focusSettings, type FocusSettings } from "./settings-schema";
import { aiFocusCsv, azureOpenAi, bedrock, bedrockMarketplace, compute, vertex } from "./test-files";

const SAMPLE = "tests/fixtures/focus/focus-1.0_sample-data_focus_sample.csv";
const sample = () => new Uint8Array(fs.readFileSync(SAMPLE));
const admin: UserCaller = { kind: "user", id: 1, email: "a@test", name: "A", role: "admin", departmentIds: null };
const departments: Record<string, number> = {};

async function importFile(bytes: string | Uint8Array<ArrayBuffer>, settings?: FocusSettings, fileName = "focus.csv") {
  const queued = await queueFocusImport({ body: new Blob([bytes]).stream(), fileName, caller: admin, settings });
  expect(queued.status).toBe("queued");
  await processFocusImport(queued.id);
  return db.importJob.findUniqueOrThrow({ where: { id: queued.id } });
}

async function totals(where = "TRUE", params: unknown[] = []) {
  const { rows } = await pool.query<{ cost: string | null; n: number }>(`SELECT sum(cost)::text AS cost, count(*)::int AS n FROM usage_events WHERE source = 'focus' AND ${where}`, params);
  return rows[0]!;
}

/** Rollups must keep equal to raw events on this path too (negative costs, reversals). */
async function expectRollupsExact() {
  const { rows } = await pool.query<{ raw: string; rolled: string }>(
    `SELECT (SELECT coalesce(sum(cost), 0)::text FROM usage_events) AS raw, (SELECT coalesce(sum(cost), 0)::text FROM usage_rollup_daily) AS rolled`,
  );
  expect(new Decimal(rows[0]!.rolled).eq(rows[0]!.raw)).toBe(true);
}

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'a@test', 'A', 'admin', now()) ON CONFLICT DO NOTHING");
  await pool.query("UPDATE organizations SET time_zone = 'America/New_York' WHERE id = 1");
  forgetOrgSettings();
  for (const code of ["RND", "SUPPORT"]) departments[code] = (await db.department.create({ data: { code, name: code } })).id;
});

afterAll(() => stopWorker(1_000));

describe("the FinOps Foundation FOCUS 1.0 sample", () => {
  const records = parse(fs.readFileSync(SAMPLE), { columns: true }) as Record<string, string>[];
  const all = focusSettings({ filter: { all: true } });

  test("every row imported: EffectiveCost total equals the file's, re-import counts nothing twice", async () => {
    // Independent: the file's EffectiveCost, each row at the ledger's 10 decimals (half to even), NULL as 0.
    const expected = records.reduce((s, r) => (r.EffectiveCost === "NULL" ? s : s.plus(new Decimal(r.EffectiveCost!).toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN))), new Decimal(0));
    const job = await importFile(sample(), all);
    expect(job).toMatchObject({ status: "succeeded", rows: 1000, rejected: 0, skipped: 0, error: null });
    expect(Number(job.bytesRead)).toBe(fs.statSync(SAMPLE).size);
    // Hourly rows stay one event; rows whose period crosses a New York midnight become one event per local day.
    expect(job.accepted).toBeGreaterThanOrEqual(1000);
    const sum = await totals();
    expect(new Decimal(sum.cost!).eq(expected)).toBe(true);
    const credit = records.filter((r) => r.ChargeCategory === "Credit").reduce((s, r) => s.plus(r.EffectiveCost!), new Decimal(0));
    expect(credit.isNegative()).toBe(true);
    const stored = await totals("properties->>'charge_category' = 'Credit'");
    expect(new Decimal(stored.cost!).eq(credit.toDecimalPlaces(10))).toBe(true);

    const again = await importFile(new Uint8Array(gzipSync(sample())), all, "focus.csv.gz");
    expect(again).toMatchObject({ status: "succeeded", rows: 1000, accepted: 0, duplicates: job.accepted, reversed: 0 });
    expect(new Decimal((await totals()).cost!).eq(expected)).toBe(true);
    await expectRollupsExact();
  });

  test("the default AI filter keeps the 9 Azure Machine Learning rows (ServiceCategory AI and Machine Learning)", async () => {
    const ai = records.filter((r) => r.ServiceCategory === "AI and Machine Learning");
    expect(ai.length).toBe(9);
    const job = await importFile(sample(), focusSettings({}));
    // Same rows as the first import (same identities): nothing new, the rest skipped by the filter — and the rows
    // the filter leaves out are not taken as missing from the export (nothing reversed). The 9 rows are daily
    // (00:00–24:00 UTC): two New York days, two events each.
    expect(job).toMatchObject({ status: "succeeded", rows: 1000, skipped: 991, accepted: 0, duplicates: 18, reversed: 0 });
  });
});

describe("generated AI rows (Bedrock, Azure OpenAI, Vertex AI)", () => {
  const account = "properties->>'billing_account' IN ('111122223333', '/providers/Microsoft.Billing/billingAccounts/12345678', '01ABCD-234567-89EF01')";

  test("AI filter, agents and departments from tags and x_ columns, tokens, credits, spreading, currency", async () => {
    await pool.query("INSERT INTO fx_rates (base, quote, date, rate, source, created_by) VALUES ('EUR', 'USD', '2026-10-09', 1.25, 'manual', 'test')");
    const settings = focusSettings({ filter: {}, department: { sources: ["tag:cost-center", "x_CostCenter"], values: {} } });
    const csv = aiFocusCsv([
      bedrock(),
      bedrockMarketplace(),
      azureOpenAi(),
      vertex(),
      compute(),
      // A credit: negative cost with its charge class kept.
      bedrock({ ChargeCategory: "Credit", ChargeClass: "Correction", ChargeDescription: "AWS promotional credit", BilledCost: "-5.00", EffectiveCost: "-5.00", ConsumedQuantity: null, ConsumedUnit: null }),
      // Three UTC days = 4 New York days (Oct 8 20:00 → Oct 11 19:59 local): 10.00 split exactly.
      vertex({ ChargePeriodStart: "2026-10-09T00:00:00Z", ChargePeriodEnd: "2026-10-12T00:00:00Z", BilledCost: "10.00", EffectiveCost: "10.00", ConsumedQuantity: null, SkuId: "daily" }),
      // Billed in euros: converted at the day's rate.
      azureOpenAi({ ChargePeriodStart: "2026-10-09T12:00:00Z", ChargePeriodEnd: "2026-10-09T13:00:00Z", BillingCurrency: "EUR", BilledCost: "8.00", EffectiveCost: "8.00" }),
      bedrock({ ChargePeriodStart: "not a date" }),
    ]);
    const job = await importFile(csv, settings);
    expect(job).toMatchObject({ status: "succeeded", rows: 9, skipped: 1, rejected: 1, reversed: 0 });
    expect(job.error).toBe("restatement skipped: 1 rows rejected (fix them and import the file again)");
    // Events: one per New York day each charge period touches — the Azure day (00:00Z–24:00Z) touches two, the
    // 3-day Vertex row four, the other five one each.
    expect(job.accepted).toBe(2 + 4 + 5);
    const { rows: errors } = await pool.query("SELECT row, errors FROM import_row_errors WHERE import_id = $1", [job.id]);
    expect(errors).toEqual([{ row: 9, errors: "ChargePeriodStart: 'not a date' is not a date-time" }]);

    const byAgent = await pool.query<{ agent: string; department: string | null; cost: string; input: string; output: string }>(
      `SELECT a.key AS agent, d.code AS department, sum(e.cost)::text AS cost, sum(e.input_tokens)::text AS input, sum(e.output_tokens)::text AS output
       FROM usage_events e JOIN agents a ON a.id = e.agent_id LEFT JOIN departments d ON d.id = e.department_id
       WHERE e.source = 'focus' AND ${account} GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(byAgent.rows).toEqual([
      // 13.50 USD + 8.00 EUR × 1.25
      { agent: "contoso-openai", department: "SUPPORT", cost: "23.5000000000", input: String(5400 * 1000 * 2), output: "0" },
      { agent: "gemini-1.5-pro", department: "RND", cost: "12.5000000000", input: "2000000", output: "0" },
      // 3.12 − 5.00 credit
      { agent: "research-bot", department: "RND", cost: "-1.8800000000", input: "1200000", output: "0" },
      { agent: "support-bot", department: "SUPPORT", cost: "1.2750000000", input: "0", output: "85000" },
    ]);
    const spread = await pool.query<{ ts: Date; cost: string }>(
      "SELECT timestamp AS ts, cost::text AS cost FROM usage_events WHERE source = 'focus' AND properties->>'sku_id' = 'daily' ORDER BY timestamp",
    );
    expect(spread.rows.map((r) => r.cost)).toEqual(["2.5000000000", "2.5000000000", "2.5000000000", "2.5000000000"]);
    expect(spread.rows.map((r) => r.ts.toISOString())).toEqual(["2026-10-09T00:00:00.000Z", "2026-10-09T04:00:00.000Z", "2026-10-10T04:00:00.000Z", "2026-10-11T04:00:00.000Z"]);
    const credit = await pool.query("SELECT cost::text, type, properties->>'charge_class' AS class FROM usage_events WHERE source = 'focus' AND cost < 0 AND " + account);
    expect(credit.rows).toEqual([{ cost: "-5.0000000000", type: "cloud.credit", class: "Correction" }]);
    const eur = await pool.query("SELECT original_cost::text, original_currency, fx_rate::text FROM usage_events WHERE source = 'focus' AND original_currency = 'EUR'");
    expect(eur.rows).toEqual([{ original_cost: "8.0000000000", original_currency: "EUR", fx_rate: "1.25" }]);
    await expectRollupsExact();
  });

  test("a restated export of the same account and period reverses what changed, never deletes", async () => {
    const settings = focusSettings({ filter: {} });
    const v1 = aiFocusCsv([vertex({ BillingAccountId: "restate-acct", SkuId: "a" }), vertex({ BillingAccountId: "restate-acct", SkuId: "b", BilledCost: "4.00", EffectiveCost: "4.00" })]);
    const first = await importFile(v1, settings);
    expect(first).toMatchObject({ accepted: 2, reversed: 0 });
    const before = await totals("properties->>'billing_account' = 'restate-acct'");
    expect(before).toEqual({ cost: "6.5000000000", n: 2 });
    // The provider re-issues the month: row b's cost changed, a row c is new, row a is unchanged.
    const v2 = aiFocusCsv([
      vertex({ BillingAccountId: "restate-acct", SkuId: "a" }),
      vertex({ BillingAccountId: "restate-acct", SkuId: "b", BilledCost: "4.40", EffectiveCost: "4.40" }),
      vertex({ BillingAccountId: "restate-acct", SkuId: "c", BilledCost: "1.00", EffectiveCost: "1.00" }),
    ]);
    const second = await importFile(v2, settings);
    expect(second).toMatchObject({ status: "succeeded", accepted: 2, duplicates: 1, reversed: 1 });
    // 2.50 + 4.40 + 1.00: the old 4.00 stays stored, with its reversal beside it.
    expect(await totals("properties->>'billing_account' = 'restate-acct'")).toEqual({ cost: "7.9000000000", n: 5 });
    const reversal = await pool.query("SELECT cost::text, correction_kind, event_sign FROM usage_events WHERE source = 'focus' AND correction_kind = 'reversal' AND properties->>'billing_account' = 'restate-acct'");
    expect(reversal.rows).toEqual([{ cost: "-4.0000000000", correction_kind: "reversal", event_sign: -1 }]);
    const audited = await pool.query("SELECT action FROM audit_logs WHERE action = 'focus_import.restate' AND entity_id = $1", [String(second.id)]);
    expect(audited.rowCount).toBe(1);
    // Importing v2 again changes nothing.
    expect(await importFile(v2, settings)).toMatchObject({ accepted: 0, duplicates: 3, reversed: 0 });
    expect((await totals("properties->>'billing_account' = 'restate-acct'")).cost).toBe("7.9000000000");
    await expectRollupsExact();
  });
});

describe("round trip", () => {
  test("AgentLedger's own FOCUS export, imported, reproduces the department totals exactly", async () => {
    const rt = { A: (await db.department.create({ data: { code: "RT-A", name: "A" } })).id, B: (await db.department.create({ data: { code: "RT-B", name: "B" } })).id };
    const agentA = await db.agent.create({ data: { key: "rt-a", name: "RT agent A", departmentId: rt.A, platform: "langgraph" } });
    const agentB = await db.agent.create({ data: { key: "rt-b", name: "RT agent B", departmentId: rt.B } });
    await db.$executeRaw`
      INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, input_tokens)
      SELECT 'rt', 'rt' || n, timestamptz '2026-07-01 04:00Z' + n * interval '7 hours', 'llm.call',
        CASE WHEN n % 3 = 0 THEN ${agentB.id}::int ELSE ${agentA.id}::int END, CASE WHEN n % 3 = 0 THEN ${rt.B}::int ELSE ${rt.A}::int END, (n % 17) * 0.13, 100
      FROM generate_series(1, 100) n`;
    await rebuildRollups(pool);
    const original = await pool.query<{ code: string; cost: string }>(
      "SELECT d.code, sum(e.cost)::text AS cost FROM usage_events e JOIN departments d ON d.id = e.department_id WHERE e.source = 'rt' AND e.timestamp >= '2026-07-01 04:00Z' AND e.timestamp < '2026-08-01 04:00Z' GROUP BY 1 ORDER BY 1",
    );
    const csv = await focusCsv(admin, "2026-07");
    const settings = focusSettings({ filter: {}, agent: { sources: ["ResourceName"] }, department: { sources: ["x_CostCenterCode"], values: {} } });
    const job = await importFile(csv, settings);
    expect(job).toMatchObject({ status: "succeeded", rejected: 0, skipped: 0 });
    const imported = await pool.query<{ code: string; cost: string }>(
      "SELECT d.code, sum(e.cost)::text AS cost FROM usage_events e JOIN departments d ON d.id = e.department_id WHERE e.source = 'focus' AND e.properties->>'billing_account' = 'agentledger' GROUP BY 1 ORDER BY 1",
    );
    expect(imported.rows.map((r) => [r.code, new Decimal(r.cost).toString()])).toEqual(original.rows.map((r) => [r.code, new Decimal(r.cost).toString()]));
    expect(imported.rows.map((r) => r.code)).toEqual(["RT-A", "RT-B"]);
    // Spread over the 31 days of July in New York, with nothing outside the month.
    const days = await pool.query("SELECT count(DISTINCT (timestamp AT TIME ZONE 'America/New_York')::date)::int AS n, min(timestamp) AS first FROM usage_events WHERE source = 'focus' AND properties->>'billing_account' = 'agentledger'");
    expect(days.rows[0]).toEqual({ n: 31, first: new Date("2026-07-01T04:00:00Z") });
  });
});

describe("the FOCUS 1.2 specification's SaaS commitment example", () => {
  test("M/D/YY dates; the 12-month purchase spread over the local days it touches, exactly", async () => {
    const file = "tests/fixtures/focus/focus-1.2_spec_saas_spend_agreements_b2.csv";
    const records = parse(fs.readFileSync(file), { columns: true }) as Record<string, string>[];
    const job = await importFile(new Uint8Array(fs.readFileSync(file)), focusSettings({ filter: { all: true }, costColumn: "BilledCost" }));
    expect(job).toMatchObject({ status: "succeeded", rows: records.length, rejected: 0 });
    const expected = records.reduce((s, r) => s.plus(r.BilledCost || 0), new Decimal(0));
    expect(new Decimal((await totals("properties->>'billing_account' = '000-00-000'")).cost!).eq(expected)).toBe(true);
    const purchase = await pool.query("SELECT count(*)::int AS n, sum(cost)::text AS cost FROM usage_events WHERE source = 'focus' AND type = 'cloud.purchase'");
    // 4/1/25 → 4/1/26 UTC runs from Mar 31 2025 20:00 to Mar 31 2026 19:59 in New York: it touches 366 local days.
    expect(purchase.rows[0]).toEqual({ n: 366, cost: "1200.0000000000" });
  });
});

describe("settings and preview", () => {
  test("defaults, an audited update, and a preview that writes nothing", async () => {
    const defaults = await getFocusSettings();
    expect(defaults.costColumn).toBe("EffectiveCost");
    expect(defaults.filter.services).toContain("Amazon Bedrock");
    const changed = await updateFocusSettings(admin, { ...defaults, costColumn: "BilledCost", department: { sources: ["x_CostCenter"], values: { SUPPORT: "RND" } } });
    expect(changed.costColumn).toBe("BilledCost");
    expect((await pool.query("SELECT 1 FROM audit_logs WHERE action = 'focus_import_settings.update'")).rowCount).toBe(1);
    const before = await totals();
    const preview = await previewFocus({ csv: aiFocusCsv([azureOpenAi({ EffectiveCost: "1.00" }), compute(), bedrock({ BillingCurrency: "XXX" })]) + "cut-off,li" });
    expect(preview.rows).toEqual([
      { row: 1, status: "import", service: "Azure AI Services", provider: "Microsoft", chargeCategory: "Usage", agent: "contoso-openai", department: "RND", departmentKnown: true, customer: null, cost: "13.5", currency: "USD", events: 2 },
      { row: 2, status: "skipped", service: "Amazon Elastic Compute Cloud" },
      { row: 3, status: "error", error: "BillingCurrency: 'XXX' is not an active ISO 4217 currency code" },
    ]);
    expect(await totals()).toEqual(before);
  });
});
