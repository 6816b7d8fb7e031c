// Alerts over real PostgreSQL: budget thresholds and forecast open once and clear, acknowledgement sticks,
// an anomaly is detected, and webhooks reach a local HTTP receiver — a failure, a retry with backoff, a
// signature that verifies with the secret shown at creation.
import "@/tests/helpers/allow-loopback-http";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { acknowledgeAlert, listAlerts } from "./alerts";
import { evaluateAlerts } from "./evaluate";
import { SIGNATURE_HEADER, verifySignature } from "./signing";
import { RETRY_DELAYS_SECONDS, createWebhook, deliverDueWebhooks, listDeliveries, sendTestDelivery } from "./webhooks";
import { scheduleAlertEvaluation } from "./schedule";
import { startWorker, stopWorker } from "@/lib/jobs/queue";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const NOW = new Date("2026-11-20T15:00:00Z");

type Received = { headers: http.IncomingHttpHeaders; body: string };
const received: Received[] = [];
let failNext = 1;
let receiver: http.Server;
let receiverUrl = "";
let support = 0;
let agent = 0;

async function addEvent(key: string, at: string, cost: string, dept = support) {
  await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost) VALUES ('t', $1, $2, 'agent.action', $3, $4, $5)", [key, at, agent, dept, cost]);
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = failNext-- > 0 ? 503 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', 'UTC', now())");
  support = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, monthly_budget, updated_at) VALUES ('SUPPORT', 'Support', 1000, now()) RETURNING id")).rows[0]!.id;
  agent = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('bot', 'Bot', $1, now()) RETURNING id", [support])).rows[0]!.id;
  // 1–19 November: about 30 a day (569 so far, 56.9 % of budget); nothing yet on the 20th.
  for (let day = 1; day <= 19; day++) await addEvent(`d${day}`, `2026-11-${String(day).padStart(2, "0")}T12:00:00Z`, day % 2 ? "29.00" : "31.00");
  await rebuildRollups(pool);
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

describe("alert evaluation", () => {
  let secret = "";

  test("opens one alert per crossed threshold and queues a webhook for each", async () => {
    secret = (await createWebhook(admin, receiverUrl)).secret;
    const result = await evaluateAlerts(NOW);
    // 569 spent: the 50 % threshold; forecast 569 + (209 / 7 run rate of the 13th–19th) × 11 days left = 897.43: below 100 %.
    expect(result.opened).toBe(1);
    const open = await listAlerts(admin, "open", 100);
    expect(open.map((a) => a.key)).toEqual(["budget:SUPPORT:2026-11:50"]);
    expect(open[0]).toMatchObject({ kind: "budget", department: { code: "SUPPORT" }, value: "569.00", threshold: "500.00" });
    expect(await db.webhookDelivery.count({ where: { event: "alert.opened", status: "pending" } })).toBe(1);
  });

  test("delivers with a valid signature, retrying after a failure with backoff", async () => {
    expect(await deliverDueWebhooks(NOW)).toBe(1);
    let delivery = await db.webhookDelivery.findFirstOrThrow();
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseStatus: 503, lastError: "HTTP 503: server error" });
    expect(delivery.nextAttemptAt.getTime()).toBe(NOW.getTime() + RETRY_DELAYS_SECONDS[0] * 1000);
    // Not due yet: nothing is sent.
    expect(await deliverDueWebhooks(new Date(NOW.getTime() + 5_000))).toBe(0);
    const later = new Date(NOW.getTime() + (RETRY_DELAYS_SECONDS[0] + 1) * 1000);
    expect(await deliverDueWebhooks(later)).toBe(1);
    delivery = await db.webhookDelivery.findFirstOrThrow();
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2, responseStatus: 200 });

    expect(received).toHaveLength(2);
    const last = received[1]!;
    expect(last.headers["x-agentledger-event"]).toBe("alert.opened");
    expect(verifySignature(secret, last.headers[SIGNATURE_HEADER] as string, last.body, 300, later.getTime())).toBe(true);
    expect(verifySignature("whsec_wrong", last.headers[SIGNATURE_HEADER] as string, last.body, 300, later.getTime())).toBe(false);
    expect(JSON.parse(last.body)).toMatchObject({ event: "alert.opened", data: { alert: { key: "budget:SUPPORT:2026-11:50", department: "SUPPORT", status: "open" } } });
  });

  test("re-evaluating does not alert again; acknowledged alerts stay acknowledged", async () => {
    expect((await evaluateAlerts(NOW)).opened).toBe(0);
    const [alert] = await listAlerts(admin, "open", 100);
    expect((await acknowledgeAlert(admin, alert!.id)).status).toBe("acknowledged");
    expect((await evaluateAlerts(NOW)).opened).toBe(0);
    expect((await listAlerts(admin, "acknowledged", 100)).map((a) => a.id)).toEqual([alert!.id]);
    expect(await db.webhookDelivery.count()).toBe(1);
    expect(await db.auditLog.count({ where: { action: "alert.acknowledge" } })).toBe(1);
  });

  test("a spend spike opens an anomaly and crosses 70, 80 and 85 %, then the forecast; a higher budget clears them", async () => {
    await addEvent("spike", "2026-11-20T13:00:00Z", "300.00");
    await rebuildRollups(pool);
    await evaluateAlerts(NOW);
    const keys = (await listAlerts(admin, "open", 100)).map((a) => a.key).sort();
    // 869 spent (86.9 %); 300 against a baseline of 30 a day. Today's spike is spend, not run rate: the forecast
    // stays 897.43 (never below the 869 spent).
    expect(keys).toEqual(["anomaly:ORG:2026-11-20", "anomaly:SUPPORT:2026-11-20", "budget:SUPPORT:2026-11:70", "budget:SUPPORT:2026-11:80", "budget:SUPPORT:2026-11:85"]);
    // A day later the spike is in the 7-day run rate: 869 + (209 − 29 + 300) / 7 × 10 days left = 1554.71 > 1000.
    await evaluateAlerts(new Date("2026-11-21T01:00:00Z"));
    expect((await listAlerts(admin, "open", 100)).map((a) => a.key)).toContain("forecast:SUPPORT:2026-11:100");

    await pool.query("UPDATE departments SET monthly_budget = 5000 WHERE id = $1", [support]);
    const result = await evaluateAlerts(NOW);
    expect(result.cleared).toBe(5);
    const cleared = await listAlerts(admin, "cleared", 100);
    expect(cleared.map((a) => a.key).sort()).toEqual(["budget:SUPPORT:2026-11:50", "budget:SUPPORT:2026-11:70", "budget:SUPPORT:2026-11:80", "budget:SUPPORT:2026-11:85", "forecast:SUPPORT:2026-11:100"]);
    expect(await db.webhookDelivery.count({ where: { event: "alert.cleared" } })).toBe(5);
  });

  test("a scoped user sees only their departments' alerts", async () => {
    const other = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, updated_at) VALUES ('OTHER', 'Other', now()) RETURNING id")).rows[0]!.id;
    const alerts = await listAlerts({ ...admin, departmentIds: [other] }, undefined, 100);
    expect(alerts).toEqual([]);
    // Out of scope is a 403, as for every change outside the caller's departments (lib/auth/scope.ts).
    await expect(acknowledgeAlert({ ...admin, departmentIds: [other] }, (await listAlerts(admin, "open", 100))[0]!.id)).rejects.toMatchObject({ status: 403 });
  });

  test("a test send is signed, delivered once, logged, audited; a failing one is logged as failed without retries", async () => {
    const channel = await createWebhook(admin, receiverUrl);
    const before = received.length;
    const ok = await sendTestDelivery(admin, channel.id, NOW);
    expect(ok).toMatchObject({ event: "webhook.test", status: "delivered", attempts: 1, responseStatus: 200, channel: { id: channel.id, type: "webhook" } });
    expect(received).toHaveLength(before + 1);
    const sent = received.at(-1)!;
    expect(verifySignature(channel.secret, sent.headers[SIGNATURE_HEADER] as string, sent.body, 300, NOW.getTime())).toBe(true);

    failNext = 1;
    const failed = await sendTestDelivery(admin, channel.id, NOW);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, responseStatus: 503, lastError: "HTTP 503: server error", nextAttemptAt: null });
    const log = await listDeliveries(channel.id, 10);
    expect(log.map((d) => [d.id, d.status])).toEqual([[failed.id, "failed"], [ok.id, "delivered"]]);
    expect(await db.auditLog.count({ where: { action: "webhook.test", entityId: String(channel.id) } })).toBe(2);
    await expect(sendTestDelivery(admin, 999999, NOW)).rejects.toMatchObject({ status: 404 });
  });

  test("scheduleAlertEvaluation queues one evaluation job for many calls, and a worker runs it", async () => {
    const today = new Date().toISOString().slice(0, 10);
    await pool.query("UPDATE departments SET monthly_budget = 1 WHERE id = $1", [support]);
    await addEvent("today", `${today}T00:00:01Z`, "5.00");
    await rebuildRollups(pool);
    scheduleAlertEvaluation();
    scheduleAlertEvaluation();
    const queued = async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'alerts.evaluate'")).rows[0]!.n;
    await expect.poll(queued, { timeout: 10_000 }).toBe(1);
    await startWorker();
    try {
      const key = `budget:SUPPORT:${today.slice(0, 7)}:100`;
      await expect.poll(async () => (await db.alert.findUnique({ where: { key } }))?.status, { timeout: 15_000 }).toBe("open");
      expect(await queued()).toBe(1);
    } finally {
      await stopWorker(1_000);
    }
  });
});
