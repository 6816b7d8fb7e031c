// The consumption threshold ladder (issue 21): the default 50/70/80/85/90/95/100 % ladder per department budget and
// for the organization's budget; each threshold notifies exactly once per period even with two evaluations running
// at once (an advisory lock and the alert key's unique constraint), and the ladder starts again when the month turns
// in the organization's time zone.
import { beforeAll, describe, expect, test } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { DEFAULT_THRESHOLDS } from "./detect";
import { evaluateAlerts } from "./evaluate";
import { createWebhook } from "./webhooks";

const TZ = "America/Los_Angeles"; // UTC-8 in December and January
const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
let sup = 0;
let agent = 0;
let n = 0;

async function spend(at: string, cost: string) {
  await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost) VALUES ('t', $1, $2, 'agent.action', $3, $4, $5)", [`e${n++}`, at, agent, sup, cost]);
  await rebuildRollups(pool);
}

/** Two evaluations at once, as two app instances would run them; returns the budget alerts notified, in order. */
async function evaluateTwice(now: Date): Promise<string[]> {
  await Promise.all([evaluateAlerts(now), evaluateAlerts(now)]);
  const rows = await db.webhookDelivery.findMany({ where: { event: "alert.opened" }, orderBy: { id: "asc" } });
  return rows.map((d) => (d.payload as { alert: { key: string } }).alert.key).filter((k) => k.startsWith("budget:"));
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, monthly_budget, updated_at) VALUES (1, 'T', 'USD', $1, 1000, now())", [TZ]);
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now())");
  sup = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, monthly_budget, updated_at) VALUES ('SUP', 'Support', 200, now()) RETURNING id")).rows[0]!.id;
  agent = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('bot', 'Bot', $1, now()) RETURNING id", [sup])).rows[0]!.id;
  await createWebhook(admin, "https://hooks.example.com/ladder");
});

describe("threshold ladder", () => {
  test("the default ladder is Salesforce's Digital Wallet one, and the forecast at 100 %", () => {
    expect(DEFAULT_THRESHOLDS.filter((t) => t.basis === "spend").map((t) => t.percent)).toEqual([50, 70, 80, 85, 90, 95, 100]);
    expect(DEFAULT_THRESHOLDS.filter((t) => t.basis === "forecast").map((t) => t.percent)).toEqual([100]);
  });

  test("each crossed threshold notifies once, however many evaluations run at once", async () => {
    await spend("2026-12-03T18:00:00Z", "172.00"); // 86 % of 200
    const first = await evaluateTwice(new Date("2026-12-10T20:00:00Z"));
    expect(first).toEqual(["budget:SUP:2026-12:50", "budget:SUP:2026-12:70", "budget:SUP:2026-12:80", "budget:SUP:2026-12:85"]);

    await spend("2026-12-11T18:00:00Z", "20.00"); // 96 %; the organization: 192.00 of 1,000.00, under its 50 %
    const second = await evaluateTwice(new Date("2026-12-12T20:00:00Z"));
    expect(second.slice(first.length)).toEqual(["budget:SUP:2026-12:90", "budget:SUP:2026-12:95"]);

    // Evaluated again with nothing new: nothing sent again.
    expect(await evaluateTwice(new Date("2026-12-13T20:00:00Z"))).toEqual(second);
  });

  test("the organization's budget has its own ladder (configurable, here 10 and 20 %)", async () => {
    await db.organization.update({ where: { id: 1 }, data: { budgetThresholds: [10, 20] } });
    const sent = await evaluateTwice(new Date("2026-12-14T20:00:00Z"));
    expect(sent.filter((k) => k.startsWith("budget:ORG:"))).toEqual(["budget:ORG:2026-12:10"]);
    const alert = await db.alert.findUniqueOrThrow({ where: { key: "budget:ORG:2026-12:10" } });
    expect(alert).toMatchObject({ departmentId: null, status: "open" });
    expect(alert.value.toFixed(2)).toBe("192.00");
    await db.organization.update({ where: { id: 1 }, data: { budgetThresholds: [] } });
  });

  test("the ladder starts again when the month turns in the organization's time zone", async () => {
    // 00:30 on 1 January in Los Angeles is 08:30 UTC; spend at 00:10 local belongs to January.
    await spend("2027-01-01T08:10:00Z", "110.00"); // 55 % of January's 200
    const before = (await evaluateTwice(new Date("2026-12-31T20:00:00Z"))).length; // still 31 December locally
    const after = await evaluateTwice(new Date("2027-01-01T08:30:00Z"));
    expect(after.slice(before)).toEqual(["budget:SUP:2027-01:50"]);
    // December's crossings were not sent again.
    expect(after.filter((k) => k.startsWith("budget:SUP:2026-12:")).length).toBe(6);
  });
});
