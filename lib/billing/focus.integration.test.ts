import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { seedBasics } from "@/tests/helpers/db";
import { focusCsv } from "./focus";
import { Dec, sum } from "./money";

const admin: UserCaller = { kind: "user", id: 1, email: "a@test", name: "A", role: "admin", departmentIds: null };
let otherDepartment = 0;

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  const support = await db.department.create({ data: { code: "SUPPORT", name: "Customer Support" } });
  await db.agent.create({ data: { id: 1, key: "resolver", name: "Resolver", platform: "langgraph", departmentId: support.id } });
  await db.$executeRaw`
    INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost)
    SELECT 'test', 'f' || n, timestamptz '2026-10-01 00:00Z' + n * interval '1 hour', 'llm.call', 1, ${support.id}, 0.123456
    FROM generate_series(1, 100) n`;
  otherDepartment = (await db.department.create({ data: { code: "LEGAL", name: "Legal" } })).id;
  await rebuildRollups(pool);
});

describe("FOCUS export", () => {
  it("lists the month's AI cost in FOCUS columns, summing to the events' cost", async () => {
    const rows = parse(await focusCsv(admin, "2026-10"), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ ServiceCategory: "AI and Machine Learning", ChargeCategory: "Usage", BillingCurrency: "USD", ResourceId: "resolver", x_CostCenterCode: "SUPPORT", x_AllocationKind: "direct" });
    expect(sum(rows.map((r) => new Dec(r.BilledCost!))).toFixed(2)).toBe(new Dec("0.123456").times(100).toFixed(2));
    expect(sum(rows.map((r) => new Dec(r.ConsumedQuantity!))).toString()).toBe("100");
  });

  it("gives a department-scoped user only their departments' rows", async () => {
    const csv = await focusCsv({ ...admin, role: "viewer", departmentIds: [otherDepartment] }, "2026-10");
    expect(parse(csv, { columns: true })).toEqual([]);
    expect(csv).not.toContain("SUPPORT");
  });
});
