// The FOCUS export against the specification's rules (focus-conformance.ts) on generated edge cases — an even split
// over three departments (ratios 1/3), an agent without a platform, valueless tags, a late event carried into the
// next month as a correction — and on the demo seed's data; its totals against independent SQL over raw events.
import { execFileSync } from "node:child_process";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { closeMonth } from "@/lib/allocation/close";
import { createRule } from "@/lib/allocation/rule-admin";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { seedBasics } from "@/tests/helpers/db";
import { focusColumns, focusCsv, focusMetadata } from "./focus";
import { focusProblems, type FocusRow } from "./focus-conformance";
import { Dec, sum } from "./money";

const admin: UserCaller = { kind: "user", id: 1, email: "a@test", name: "A", role: "admin", departmentIds: null };
const departments: Record<string, number> = {};

async function exported(period: string, version: "1.2" | "1.3" = "1.3", caller: UserCaller = admin) {
  const csv = await focusCsv(caller, period, version);
  const header = csv.split("\r\n")[0]!.split(",");
  return { csv, header, rows: parse(csv, { columns: true }) as FocusRow[] };
}

async function insert(key: string, at: string, agentId: number, departmentId: number, cost: string, tokens = 0) {
  await pool.query(
    `INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, input_tokens)
     VALUES ('test', $1, $2, 'llm.call', $3, $4, $5, $6)`,
    [key, at, agentId, departmentId, cost, tokens],
  );
}

describe("FOCUS export on generated edge cases", () => {
  beforeAll(async () => {
    await seedBasics(env().DATABASE_URL);
    await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'a@test', 'A', 'admin', now()) ON CONFLICT DO NOTHING");
    for (const [code, name] of [["SUPPORT", "Customer Support"], ["LEGAL", "Legal"], ["SALES", "Sales"]] as const) {
      departments[code] = (await db.department.create({ data: { code, name } })).id;
    }
    const support = departments.SUPPORT!;
    const resolver = await db.agent.create({ data: { key: "resolver", name: "Resolver", platform: "langgraph", departmentId: support, tags: ["prod", "tier-1"] } });
    const shared = await db.agent.create({ data: { key: "shared-bot", name: "Shared bot", departmentId: support, shared: true } });
    await db.$executeRaw`
      INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, input_tokens, output_tokens)
      SELECT 'test', 'f' || n, timestamptz '2026-10-01 00:00Z' + n * interval '1 hour', 'llm.call', ${resolver.id}, ${support}, 0.123456, 1000, 200
      FROM generate_series(1, 100) n`;
    for (let i = 0; i < 10; i++) await insert(`s${i}`, `2026-10-${String(10 + i).padStart(2, "0")}T09:00:00Z`, shared.id, support, "1.00");
    await createRule(admin, { agent: "shared-bot", method: "even", effectiveFrom: "2026-10-01", shares: [{ department: "SUPPORT" }, { department: "LEGAL" }, { department: "SALES" }] });
    await rebuildRollups(pool);
    await closeMonth(admin, "2026-10", new Date("2026-11-05T12:00:00Z"));
    // A late October event, after the close: November carries it as a correction of October.
    await insert("late-1", "2026-10-20T10:00:00Z", resolver.id, support, "2.50", 500);
    await insert("nov-1", "2026-11-03T10:00:00Z", resolver.id, support, "1.25", 300);
    await rebuildRollups(pool);
  });

  it("conforms to FOCUS 1.3 and 1.2, and sums to the events' cost", async () => {
    for (const version of ["1.3", "1.2"] as const) {
      for (const period of ["2026-10", "2026-11"]) {
        const { header, rows } = await exported(period, version);
        expect(header).toEqual(focusColumns(version));
        expect(focusProblems(header, rows, version), `${version} ${period}`).toEqual([]);
      }
    }
    const { rows } = await exported("2026-10");
    const raw = await pool.query("SELECT sum(cost)::text AS cost FROM usage_events WHERE timestamp >= '2026-10-01' AND timestamp < '2026-11-01' AND event_key <> 'late-1'");
    expect(sum(rows.map((r) => new Dec(r.BilledCost!))).toFixed(2)).toBe(new Dec(raw.rows[0].cost).toFixed(2));
  });

  it("writes the 1.3 details the conformance review found wrong", async () => {
    const { rows, csv } = await exported("2026-10");
    const resolver = rows.find((r) => r.ResourceId === "resolver")!;
    // Consumption is a usage fact of the month: the late event's 500 tokens count in October, while its cost, which
    // the close froze, is carried into November as a correction.
    expect(resolver).toMatchObject({
      ServiceProviderName: "langgraph", HostProviderName: "langgraph", BillingPeriodStart: "2026-10-01T00:00:00Z", BillingPeriodEnd: "2026-11-01T00:00:00Z",
      ConsumedQuantity: "120500", ConsumedUnit: "Tokens", PricingQuantity: "0.1205", PricingUnit: "1000000 Tokens", Tags: '{"prod":true,"tier-1":true}',
    });
    expect(csv).not.toMatch(/\.\d{3}Z/);
    const split = rows.filter((r) => r.ResourceId === "shared-bot");
    // Three even shares: 1/3 each, rounded to 10 decimals summing to exactly 1; the spare unit goes to the first code.
    expect(Object.fromEntries(split.map((r) => [r.AllocatedResourceId, r.AllocatedMethodDetails]))).toEqual({
      LEGAL: '{"Elements":[{"AllocatedRatio":0.3333333334,"x_SharePercent":"33.3333333333"}]}',
      SALES: '{"Elements":[{"AllocatedRatio":0.3333333333,"x_SharePercent":"33.3333333333"}]}',
      SUPPORT: '{"Elements":[{"AllocatedRatio":0.3333333333,"x_SharePercent":"33.3333333333"}]}',
    });
    // An agent on no named platform runs in-house: the organization is its provider.
    expect(split[0]).toMatchObject({ ServiceProviderName: "Test Org", ServiceName: "AI agents", ConsumedUnit: "Requests", AllocatedMethodId: "even" });
  });

  it("carries a change to a closed month as a correction, without consumption", async () => {
    const { rows } = await exported("2026-11");
    expect(rows.find((r) => r.ChargeClass === "Correction")).toMatchObject({ ChargeCategory: "Adjustment", BilledCost: "2.50", ConsumedQuantity: "", PricingQuantity: "", PricingUnit: "" });
  });

  it("the checker catches what the old export wrote", () => {
    const header = focusColumns("1.3");
    const good = parse(`${header.join(",")}\r\n`, { columns: true }) as FocusRow[];
    expect(good).toEqual([]);
    const old: FocusRow = Object.fromEntries(header.map((c) => [c, "x"]));
    Object.assign(old, {
      BillingCurrency: "USD", BillingPeriodStart: "2026-11-01T04:00:00.000Z", BillingPeriodEnd: "2026-12-01T05:00:00.000Z",
      ChargePeriodStart: "2026-11-01T04:00:00Z", ChargePeriodEnd: "2026-12-01T05:00:00Z", ChargeCategory: "Usage", ChargeClass: "",
      ChargeFrequency: "Usage-Based", BilledCost: "1", EffectiveCost: "1", ListCost: "1", ContractedCost: "1", ConsumedQuantity: "3",
      ConsumedUnit: "Events", PricingQuantity: "3", PricingUnit: "events", ServiceCategory: "AI and Machine Learning", Tags: '{"prod":""}',
      AllocatedMethodDetails: '{"sharePercent":"25"}', AllocatedMethodId: "fixed", AllocatedResourceId: "OPS",
    });
    const problems = focusProblems(header, [old], "1.3");
    for (const expected of ["BillingPeriodStart", "PricingUnit: 'events'", "Tags: 'prod'", "custom key 'sharePercent'"]) {
      expect(problems.some((p) => p.includes(expected)), expected).toBe(true);
    }
  });

  it("serves metadata naming the generator, the version and every column", () => {
    for (const version of ["1.3", "1.2"] as const) {
      const metadata = focusMetadata(version);
      expect(metadata.DataGenerator.DataGenerator).toBe("AgentLedger");
      expect(metadata.Schema).toMatchObject({ FocusVersion: version, CreationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
      expect(metadata.Schema.ColumnDefinition.map((c) => c.ColumnName)).toEqual(focusColumns(version));
    }
    expect(focusMetadata("1.3").Schema.SchemaId).not.toBe(focusMetadata("1.2").Schema.SchemaId);
  });

  it("gives a department-scoped user only their departments' rows", async () => {
    const { rows, csv } = await exported("2026-10", "1.3", { ...admin, role: "viewer", departmentIds: [departments.LEGAL!] });
    expect(rows.map((r) => r.x_CostCenterCode)).toEqual(["LEGAL"]);
    expect(csv).not.toContain("SUPPORT");
  });
});

describe("FOCUS export of the demo seed", () => {
  it("conforms in every month the seed covers, and matches the raw events", { timeout: 240_000 }, async () => {
    execFileSync("npx", ["tsx", "prisma/seed.ts", "--events", "20000", "--days", "62", "--end", "2026-12-01", "--reset"], { stdio: "pipe" }); // inherits this file's DATABASE_URL
    const tz = (await pool.query("SELECT time_zone FROM organizations WHERE id = 1")).rows[0].time_zone as string;
    for (const period of ["2026-10", "2026-11"]) {
      for (const version of ["1.3", "1.2"] as const) {
        const { header, rows } = await exported(period, version);
        expect(rows.length).toBeGreaterThan(0);
        expect(focusProblems(header, rows, version), `${version} ${period}`).toEqual([]);
      }
      const { rows } = await exported(period);
      const raw = await pool.query(
        `SELECT coalesce(sum(cost), 0)::text AS cost FROM usage_events WHERE to_char(timestamp AT TIME ZONE $1, 'YYYY-MM') = $2`,
        [tz, period],
      );
      expect(sum(rows.map((r) => new Dec(r.BilledCost!))).toFixed(2)).toBe(new Dec(raw.rows[0].cost).toFixed(2));
    }
  });
});
