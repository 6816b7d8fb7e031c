// Anomaly alerts say what changed (issue 21): the agent, model or department with the largest contribution to the
// day's rise, checked against the same figure computed independently from the raw events, and a link to Usage
// filtered to that driver on that day (in the alert's notification).
import "@/tests/helpers/smtp-peer";
import { describe, expect, test, beforeAll } from "vitest";
import { Decimal } from "@/lib/allocation/decimal";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { formatMoney } from "@/lib/format";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { BASELINE_DAYS } from "./detect";
import { evaluateAlerts } from "./evaluate";
import { noticeOf } from "./messages";
import { createWebhook } from "./webhooks";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const DAY = "2026-11-30";

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Acme', 'USD', 'UTC', now())");
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now())");
  const ids: Record<string, number> = {};
  for (const code of ["MKT", "OPS"]) ids[code] = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, updated_at) VALUES ($1, $1, now()) RETURNING id", [code])).rows[0]!.id;
  for (const [key, code] of [["mkt-a", "MKT"], ["mkt-b", "MKT"], ["ops-a", "OPS"]] as const) {
    ids[key] = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ($1, $2, $3, now()) RETURNING id", [key, key.toUpperCase(), ids[code]])).rows[0]!.id;
  }
  // 14 ordinary days on gpt, then on DAY mkt-b spends 150 and ops-a 130 more, both on claude.
  const events: [string, string, string, string][] = [];
  for (let d = 1; d <= BASELINE_DAYS; d++) {
    const day = new Date(Date.parse(`${DAY}T10:00:00Z`) - d * 86_400_000).toISOString();
    events.push(["mkt-a", "gpt", day, String(10 + (d % 3))], ["mkt-b", "gpt", day, "8"], ["ops-a", "gpt", day, "12"]);
  }
  const spike = `${DAY}T09:00:00Z`;
  events.push(["mkt-a", "gpt", spike, "10"], ["mkt-b", "claude", spike, "150"], ["ops-a", "claude", spike, "130"], ["ops-a", "gpt", spike, "12"]);
  for (const [i, [agent, model, at, cost]] of events.entries()) {
    const department = agent.startsWith("mkt") ? ids.MKT : ids.OPS;
    await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, model, cost) VALUES ('t', $1, $2, 'llm.call', $3, $4, $5, $6)", [`e${i}`, at, ids[agent], department, model, cost]);
  }
  await rebuildRollups(pool);
  await createWebhook(admin, { type: "email", to: "finance@example.com" }); // subscribed to every alert by default
});

/** The independent figure, from the raw events: per agent, model and department, the day's spend minus its average
 *  baseline day; the largest wins, a tie going to agent, then department, then model. */
async function expectedDriver(department: string | null) {
  const { rows } = await pool.query<{ dimension: string; key: string; label: string; spend: string; base: string }>(
    `WITH e AS (SELECT e.*, a.key AS agent_key, a.name AS agent_name, d.code, d.name AS department_name FROM usage_events e JOIN agents a ON a.id = e.agent_id JOIN departments d ON d.id = e.department_id
                WHERE e.timestamp::date BETWEEN $1::date - $3::int AND $1::date AND ($2::text IS NULL OR d.code = $2))
     SELECT 'agent' AS dimension, agent_key AS key, agent_name AS label, coalesce(sum(cost) FILTER (WHERE timestamp::date = $1::date), 0)::text AS spend, coalesce(sum(cost) FILTER (WHERE timestamp::date < $1::date), 0)::text AS base FROM e GROUP BY 2, 3
     UNION ALL SELECT 'model', model, model, coalesce(sum(cost) FILTER (WHERE timestamp::date = $1::date), 0)::text, coalesce(sum(cost) FILTER (WHERE timestamp::date < $1::date), 0)::text FROM e GROUP BY 2, 3
     UNION ALL SELECT 'department', code, department_name, coalesce(sum(cost) FILTER (WHERE timestamp::date = $1::date), 0)::text, coalesce(sum(cost) FILTER (WHERE timestamp::date < $1::date), 0)::text FROM e WHERE $2::text IS NULL GROUP BY 2, 3`,
    [DAY, department, BASELINE_DAYS],
  );
  const order = ["agent", "department", "model"];
  const scored = rows.map((r) => ({ ...r, change: new Decimal(r.spend).minus(new Decimal(r.base).div(BASELINE_DAYS)) }));
  scored.sort((a, b) => b.change.comparedTo(a.change) || order.indexOf(a.dimension) - order.indexOf(b.dimension) || a.key.localeCompare(b.key));
  return scored[0]!;
}

describe("anomaly drivers", () => {
  test("each anomaly names the agent, model or department that drove it, as computed from the raw events", async () => {
    await evaluateAlerts(new Date(`${DAY}T12:00:00Z`));
    const alerts = await db.alert.findMany({ where: { kind: "anomaly", status: "open" }, include: { department: true }, orderBy: { key: "asc" } });
    expect(alerts.map((a) => a.key)).toEqual([`anomaly:MKT:${DAY}`, `anomaly:OPS:${DAY}`, `anomaly:ORG:${DAY}`]);
    const drivers: Record<string, string> = {};
    for (const a of alerts) {
      const code = a.department?.code ?? null;
      const want = await expectedDriver(code);
      const money = (v: Decimal) => formatMoney(v.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2), "USD");
      expect(a.message).toContain(`Driven by ${want.dimension} ${want.label}: ${money(new Decimal(want.spend))} that day, ${money(want.change)} above its average day`);
      drivers[code ?? "ORG"] = `${want.dimension}:${want.key}`;

      // The notification links to Usage filtered to the driver on that day (and the department, for a department's).
      const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { event: "alert.opened", payload: { path: ["alert", "key"], equals: a.key } } });
      const notice = noticeOf(delivery.event, delivery.payload, "http://localhost:3000");
      const link = new URL(notice.link!);
      expect(link.pathname).toBe("/usage");
      expect(Object.fromEntries(link.searchParams)).toEqual({ from: DAY, to: DAY, ...(code ? { department: code } : {}), [want.dimension]: want.key, groupBy: want.dimension });
    }
    // The fixture's story: claude drove the organization's and Marketing's rise; in Operations agent and model tie (agent first).
    expect(drivers).toEqual({ ORG: "model:claude", MKT: "model:claude", OPS: "agent:ops-a" });
  });
});
