// The ladder for commitments and prepaid credits (issue 21): each step of a customer's commitment used opens one
// alert, once however often it is evaluated, naming the projected run-out date, both checked against an independent
// computation from the raw events; subscribed channels get each crossing once.
import "@/tests/helpers/smtp-peer";
import { beforeAll, describe, expect, test } from "vitest";
import { Decimal } from "@/lib/allocation/decimal";
import type { UserCaller } from "@/lib/auth/caller";
import { createCatalog, createCustomer, insertEvents } from "@/lib/billing/test-fixtures";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { seedBasics } from "@/tests/helpers/db";
import { evaluateAlerts } from "./evaluate";
import { setChannelSubscriptions } from "./subscriptions";
import { createWebhook } from "./webhooks";

const START = new Date("2026-11-01T00:00:00Z");
const NOW = new Date("2026-11-21T00:00:00Z"); // 20 days in
const AMOUNT = 10_000; // credits
let customerId = 0;
let channel = 0;

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now())");
  await db.agent.create({ data: { id: 1, key: "bot", name: "Bot" } });
  const { plans } = await createCatalog();
  customerId = (await createCustomer("stark", plans.credits.id)).id; // 20 credits per action
  await db.commitment.create({ data: { customerId, kind: "credits", amount: AMOUNT, startsAt: START, endsAt: new Date("2027-11-01T00:00:00Z") } });
  // 300 actions (6,000 credits, 60 %) over the first 20 days.
  await insertEvents(Array.from({ length: 20 }, (_, i) => ({ customerId, type: "agent.action", at: new Date(START.getTime() + i * 86_400_000 + 3_600_000), quantity: "15" })));
  const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
  channel = (await createWebhook(admin, { type: "email", to: "finance@example.com" })).id;
  await setChannelSubscriptions(admin, channel, [{ kind: "commitment", department: null }]);
});

/** Independently: credits used = Σ quantity × 20 over the raw events; the run-out day = now + balance ÷ (used per elapsed day). */
async function expected() {
  const { rows } = await pool.query<{ used: string }>("SELECT (sum(quantity) * 20)::text AS used FROM usage_events WHERE customer_id = $1 AND type = 'agent.action' AND timestamp < $2", [customerId, NOW]);
  const used = new Decimal(rows[0]!.used);
  const perDay = used.div((NOW.getTime() - START.getTime()) / 86_400_000);
  const runOut = new Date(NOW.getTime() + new Decimal(AMOUNT).minus(used).div(perDay).toNumber() * 86_400_000).toISOString().slice(0, 10);
  return { used, share: used.div(AMOUNT).times(100), runOut };
}

const open = async () => (await db.alert.findMany({ where: { kind: "commitment", status: "open" }, orderBy: { id: "asc" } })).map((a) => ({ key: a.key, message: a.message }));

describe("commitment ladder", () => {
  test("each step used opens once, with the run-out date; a later step opens when usage crosses it", async () => {
    const want = await expected();
    expect(want.used.toFixed(0)).toBe("6000");
    await Promise.all([evaluateAlerts(NOW), evaluateAlerts(NOW)]);
    await evaluateAlerts(NOW);
    const crossed = [50, 70, 80, 85, 90, 95, 100].filter((p) => want.share.greaterThanOrEqualTo(p));
    const id = (await db.commitment.findFirstOrThrow()).id;
    const alerts = await open();
    expect(alerts.map((a) => a.key)).toEqual(crossed.map((p) => `commitment:${id}:${p}`));
    expect(alerts[0]!.message).toBe(`STARK has used 6,000 of its 10,000 prepaid credits (60.0%, threshold 50%); at the current pace it runs out on ${want.runOut}, before the commitment ends on 2027-10-31`);
    expect(await db.webhookDelivery.count({ where: { webhookId: channel, event: "alert.opened" } })).toBe(crossed.length);

    // 1,500 more credits by the next day: 75 % crosses 70.
    await insertEvents([{ customerId, type: "agent.action", at: new Date("2026-11-21T06:00:00Z"), quantity: "75" }]);
    await evaluateAlerts(new Date("2026-11-22T00:00:00Z"));
    expect((await open()).map((a) => a.key)).toEqual([50, 70].map((p) => `commitment:${id}:${p}`));
    expect(await db.webhookDelivery.count({ where: { webhookId: channel, event: "alert.opened" } })).toBe(2);
  });
});
