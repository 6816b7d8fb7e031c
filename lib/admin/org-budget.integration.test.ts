// The organization budget as the settings screen saves it (issue 21): amount and ladder stored, audited with before
// and after, the alerts it implies opened at once; bad input names the field and changes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { settingsUpdate } from "./schemas";
import { getSettings, updateSettings } from "./settings";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Acme', 'EUR', 'UTC', now())");
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now())");
  const dept = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, updated_at) VALUES ('OPS', 'Ops', now()) RETURNING id")).rows[0]!.id;
  const agent = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('bot', 'Bot', $1, now()) RETURNING id", [dept])).rows[0]!.id;
  // 650 spent this month (at any day of December 2026, the evaluation's month).
  await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost) VALUES ('t', 'a', date_trunc('month', now()) + interval '1 hour', 'llm.call', $1, $2, 650)", [agent, dept]);
  await rebuildRollups(pool);
});

describe("organization budget settings", () => {
  it("saves the amount and ladder, audits before and after, and opens the crossed thresholds' alerts", async () => {
    await updateSettings(admin, settingsUpdate.parse({ monthlyBudget: "1000", budgetThresholds: [60, 90] }));
    expect(await getSettings()).toMatchObject({ monthlyBudget: "1000.00", budgetThresholds: [60, 90] });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "settings.update" }, orderBy: { id: "desc" } });
    expect(entry).toMatchObject({ actor: "admin@test", entity: "organization" });
    expect(entry.before).toMatchObject({ monthlyBudget: null, budgetThresholds: [] });
    expect(entry.after).toMatchObject({ monthlyBudget: "1000", budgetThresholds: [60, 90] });
    const open = await db.alert.findMany({ where: { departmentId: null, kind: "budget", status: "open" }, select: { key: true } });
    // 650 of 1000: the 60 % step is crossed, 90 % is not.
    expect(open.map((a) => a.key.replace(/:\d{4}-\d{2}:/, ":month:"))).toEqual(["budget:ORG:month:60"]);
  });

  it("refuses a repeated, zero or too high step and a negative amount, naming the field; nothing changes", async () => {
    const bad = [{ budgetThresholds: [50, 50] }, { budgetThresholds: [0] }, { budgetThresholds: [1001] }, { monthlyBudget: "-5" }];
    for (const body of bad) {
      const parsed = settingsUpdate.safeParse(body);
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0]!.path[0]).toBe(Object.keys(body)[0]);
    }
    expect(await getSettings()).toMatchObject({ monthlyBudget: "1000.00", budgetThresholds: [60, 90] });
  });

  it("an empty amount removes the budget, and its open alerts clear", async () => {
    await updateSettings(admin, settingsUpdate.parse({ monthlyBudget: null, budgetThresholds: [] }));
    expect(await getSettings()).toMatchObject({ monthlyBudget: null, budgetThresholds: [] });
    expect(await db.alert.count({ where: { departmentId: null, kind: "budget", status: "open" } })).toBe(0);
  });
});
