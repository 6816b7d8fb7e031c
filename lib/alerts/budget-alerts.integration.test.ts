// Regression (issue 19): Marketing at 103.3 % of its November budget while Allocation said "No open alerts".
// Evaluation looked at the current month only, so early in December November's overrun never alerted; and a
// budget or threshold change waited for the next scheduled run.
import { beforeAll, describe, expect, test } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { setBudget } from "@/lib/allocation/departments";
import { dayIn } from "@/lib/periods";
import { pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { listAlerts } from "./alerts";
import { evaluateAlerts } from "./evaluate";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
let mkt = 0;
let agent = 0;

async function addEvent(key: string, at: string, cost: string) {
  await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost) VALUES ('t', $1, $2, 'agent.action', $3, $4, $5)", [key, at, agent, mkt, cost]);
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', 'UTC', now())");
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now())");
  mkt = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, monthly_budget, updated_at) VALUES ('MKT', 'Marketing', 1000, now()) RETURNING id")).rows[0]!.id;
  agent = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('writer', 'Writer', $1, now()) RETURNING id", [mkt])).rows[0]!.id;
  // November 2026: 1,033.00 against a 1,000.00 budget (103.3 %).
  await addEvent("n1", "2026-11-10T12:00:00Z", "500.00");
  await addEvent("n2", "2026-11-28T12:00:00Z", "533.00");
  await rebuildRollups(pool);
});

describe("budget alerts reflect the budget state", () => {
  test("a department over last month's budget has an open alert early in the next month", async () => {
    await evaluateAlerts(new Date("2026-12-01T10:00:00Z"));
    const november = await listAlerts(admin, undefined, 100, "2026-11");
    expect(november.filter((a) => a.status === "open").map((a) => a.key).sort()).toEqual([
      "budget:MKT:2026-11:100",
      "budget:MKT:2026-11:50",
      "budget:MKT:2026-11:70",
      "budget:MKT:2026-11:80",
      "budget:MKT:2026-11:85",
      "budget:MKT:2026-11:90",
      "budget:MKT:2026-11:95",
      "forecast:MKT:2026-11:100",
    ]);
    expect(november.find((a) => a.key === "budget:MKT:2026-11:100")).toMatchObject({ value: "1033.00", threshold: "1000.00" });
    // December: no spend yet, but the run rate of the last 7 complete days (Nov 24–30: 533.00) × 31 days = 2,360.43
    // forecasts it over budget (the one forecast, lib/analytics/forecast.ts).
    expect((await listAlerts(admin, undefined, 100, "2026-12")).map((a) => [a.key, a.value])).toEqual([["forecast:MKT:2026-12:100", "2360.43"]]);
  });

  test("a budget or ladder change opens the alerts it implies at once", async () => {
    const today = dayIn("UTC");
    await addEvent("today", `${today}T00:00:01Z`, "120.00");
    await rebuildRollups(pool);
    await setBudget(admin, "MKT", { monthlyBudget: "100", thresholds: [{ basis: "spend", percent: 110 }] });
    const open = await listAlerts(admin, "open", 100, today.slice(0, 7));
    // Only the ladder now set: an alert of a threshold no longer in the ladder (the default forecast 100 %) is cleared.
    expect(open.map((a) => a.key)).toEqual([`budget:MKT:${today.slice(0, 7)}:110`]);
    expect(open[0]).toMatchObject({ value: "120.00", threshold: "110.00" });
  });
});
