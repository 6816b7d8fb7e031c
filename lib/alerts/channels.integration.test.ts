// Notification channels end to end: email to a real SMTP server (smtp-server, parsed with mailparser), Slack and
// Teams to local HTTP receivers with their payloads checked (Slack's limits; the vendored Adaptive Card 1.5
// schema via ajv), retries with backoff on 5xx, no retry on 4xx, nothing ever sent to a refused URL, unsubscribe.
import "@/tests/helpers/allow-loopback-http";
import { mailbox, refuseNext, smtpServer } from "@/tests/helpers/smtp-peer";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv } from "ajv";
import draft6 from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import adaptiveCardSchema from "./vendor/adaptive-card-1.5/adaptive-card.json" with { type: "json" };
import { SLACK_LIMITS, type SlackMessage } from "./messages";
import { webhookCreate } from "./schemas";
import { encryptSecret } from "./signing";
import { unsubscribe } from "./unsubscribe";
import { RETRY_DELAYS_SECONDS, createWebhook, deliverDueWebhooks, enqueueDeliveries, listWebhooks, sendTestDelivery, setWebhookActive } from "./webhooks";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const NOW = new Date("2026-11-20T15:00:00Z");
const ROUTE = { kind: "budget", departmentId: null } as const;
const alert = { id: 7, key: "budget:SUPPORT:2026-11:spend:80", kind: "budget", department: "SUPPORT", period: "2026-11", status: "open", message: "Support reached 80 % of its November budget (812.00 of 1,000.00 USD)", value: "812.00", threshold: "800.00", openedAt: NOW.toISOString() };

type Received = { path: string; body: string };
const received: Received[] = [];
/** HTTP statuses to answer the next requests with; 200 when empty. */
const statuses: number[] = [];
let receiver: http.Server;
let base = "";

// Formats (uri, color) are not checked: ajv-formats is not a dependency; the structure is.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addMetaSchema(draft6);
// The file is draft-06 but names itself with draft-04's "id"; ajv 8 wants "$id".
const { id: schemaId, ...cardSchema } = adaptiveCardSchema as { id: string } & Record<string, unknown>;
const validateCard = ajv.compile({ $id: schemaId, ...cardSchema });

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body });
      res.statusCode = statuses.shift() ?? 200;
      res.end(res.statusCode === 200 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', 'UTC', now())");
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await new Promise<void>((resolve) => smtpServer.close(() => resolve()));
});

async function queueAlert(channelId: number, at = NOW) {
  await db.webhook.updateMany({ where: { id: { not: channelId } }, data: { active: false } });
  await db.$transaction((tx) => enqueueDeliveries(tx, "alert.opened", { alert }, at, ROUTE));
  return db.webhookDelivery.findFirstOrThrow({ where: { webhookId: channelId }, orderBy: { id: "desc" } });
}

function checkSlack(message: SlackMessage) {
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of message.blocks) {
    if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === "section") {
      expect(b.text || b.fields).toBeTruthy();
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
  }
}

describe("Slack", () => {
  test("the URL is stored encrypted and shown cut short; a test send posts a Block Kit message", async () => {
    const url = `${base}/services/T000/B000/secretpart`;
    const channel = await createWebhook(admin, { type: "slack", url });
    expect(channel).toMatchObject({ type: "slack" });
    expect(channel.url).not.toContain("secretpart");
    expect(channel).not.toHaveProperty("secret");
    const row = await db.webhook.findUniqueOrThrow({ where: { id: channel.id } });
    expect(row.secretEncrypted).not.toContain("secretpart");

    const delivery = await sendTestDelivery(admin, channel.id, NOW);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, responseStatus: 200, channel: { type: "slack", url: channel.url } });
    const got = received.at(-1)!;
    expect(got.path).toBe("/services/T000/B000/secretpart");
    const message = JSON.parse(got.body) as SlackMessage;
    expect(message.text).toContain("Test from AgentLedger");
    checkSlack(message);
  });

  test("an alert becomes header, text and fields; a long message is cut to Slack's limits; 5xx is retried with backoff", async () => {
    const channel = await createWebhook(admin, { type: "slack", url: `${base}/slack-alerts` });
    await db.webhook.updateMany({ where: { id: { not: channel.id } }, data: { active: false } });
    const long = { ...alert, message: "x".repeat(5000) };
    await db.$transaction((tx) => enqueueDeliveries(tx, "alert.opened", { alert: long }, NOW, ROUTE));
    statuses.push(503);
    const before = received.length;
    await deliverDueWebhooks(NOW);
    const first = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: channel.id } });
    expect(first).toMatchObject({ status: "pending", attempts: 1, responseStatus: 503, lastError: "HTTP 503: server error" });
    expect(first.nextAttemptAt.getTime()).toBe(NOW.getTime() + RETRY_DELAYS_SECONDS[0] * 1000);

    await deliverDueWebhooks(new Date(NOW.getTime() + 5_000)); // not due yet
    await deliverDueWebhooks(new Date(NOW.getTime() + RETRY_DELAYS_SECONDS[0] * 1000));
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "delivered", attempts: 2, responseStatus: 200 });
    const sent = received.slice(before).filter((r) => r.path === "/slack-alerts");
    expect(sent).toHaveLength(2);
    const message = JSON.parse(sent[1]!.body) as SlackMessage;
    checkSlack(message);
    expect(message.blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text", text: "Alert: budget alert for SUPPORT (2026-11)" } });
    expect(JSON.stringify(message.blocks)).toContain("*Threshold*\\n800.00");
    expect(message.blocks.find((b) => b.type === "actions")).toMatchObject({ elements: [{ type: "button", url: "http://localhost:3000/alerts" }] });
  });

  test("a 4xx is not retried: the delivery fails at once with the reason", async () => {
    const channel = await createWebhook(admin, { type: "slack", url: `${base}/gone` });
    const d = await queueAlert(channel.id);
    statuses.push(404);
    await deliverDueWebhooks(NOW);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ status: "failed", attempts: 1, responseStatus: 404, lastError: "HTTP 404: not found: check the URL" });
  });
});

test("a receiver that does not answer times out after 10 s and the delivery is retried with backoff", async () => {
  const hang = http.createServer(() => undefined);
  await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve));
  try {
    const channel = await createWebhook(admin, { type: "slack", url: `http://127.0.0.1:${(hang.address() as AddressInfo).port}/slow` });
    const d = await queueAlert(channel.id);
    await deliverDueWebhooks(NOW);
    const row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, responseStatus: null, lastError: "timed out" });
    expect(row.nextAttemptAt.getTime()).toBe(NOW.getTime() + RETRY_DELAYS_SECONDS[0] * 1000);
  } finally {
    hang.closeAllConnections();
    hang.close();
  }
}, 25_000);

describe("Teams", () => {
  test("a test send and an alert post Adaptive Cards 1.5 that the vendored schema accepts", async () => {
    const channel = await createWebhook(admin, { type: "teams", url: `${base}/workflows/teams-secret` });
    expect(channel.url).not.toContain("teams-secret");
    expect(await sendTestDelivery(admin, channel.id, NOW)).toMatchObject({ status: "delivered", channel: { type: "teams" } });
    const d = await queueAlert(channel.id);
    await deliverDueWebhooks(NOW);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ status: "delivered" });
    const bodies = received.filter((r) => r.path === "/workflows/teams-secret").map((r) => JSON.parse(r.body));
    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      expect(body).toMatchObject({ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive" }] });
      const card = body.attachments[0].content;
      expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
      expect(validateCard(card), JSON.stringify(validateCard.errors)).toBe(true);
    }
    expect(bodies[1].attachments[0].content.body[2].facts).toContainEqual({ title: "Value", value: "812.00" });
  });

  test("the schema check is real: a card with a misspelt element type fails it", () => {
    expect(validateCard({ type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlok", text: "x" }] })).toBe(false);
  });
});

describe("refused URLs", () => {
  test("a Slack URL to an internal address is refused at save time, naming the field", () => {
    const parsed = webhookCreate.safeParse({ type: "slack", url: "https://169.254.169.254/latest" });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(["url"]);
  });

  test("a channel whose URL became refused is never sent to and not retried", async () => {
    const channel = await createWebhook(admin, { type: "teams", url: `${base}/later-refused` });
    // As if saved under another policy: an internal address the outbound policy refuses now.
    await db.webhook.update({ where: { id: channel.id }, data: { secretEncrypted: encryptSecret("http://10.0.0.5/hook", env().NEXTAUTH_SECRET) } });
    const d = await queueAlert(channel.id);
    const before = received.length;
    await deliverDueWebhooks(NOW);
    const row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row.lastError).toMatch(/refused by the outbound policy/);
    expect(received.length).toBe(before);
  });
});

describe("email", () => {
  test("a test send and an alert arrive over SMTP with subject, recipient and a one-click unsubscribe header", async () => {
    const channel = await createWebhook(admin, { type: "email", to: "finance@example.com" });
    expect(channel).toMatchObject({ type: "email", url: "mailto:finance@example.com" });
    expect(await sendTestDelivery(admin, channel.id, NOW)).toMatchObject({ status: "delivered", attempts: 1, channel: { type: "email" } });
    const d = await queueAlert(channel.id);
    await deliverDueWebhooks(NOW);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ status: "delivered" });

    expect(mailbox).toHaveLength(2);
    const { envelopeTo, mail } = mailbox[1]!;
    expect(envelopeTo).toEqual(["finance@example.com"]);
    expect(mail.subject).toBe("[AgentLedger] Alert: budget alert for SUPPORT (2026-11)");
    expect(mail.from?.text).toContain("alerts@agentledger.test");
    expect(mail.text).toContain(alert.message);
    // mailparser folds List-* headers into one "list" object keyed by the part after "List-".
    const list = mail.headers.get("list") as { unsubscribe: { url: string }; "unsubscribe-post": { name: string } };
    expect(JSON.stringify(list["unsubscribe-post"])).toContain("List-Unsubscribe=One-Click");
    const header = list.unsubscribe;
    expect(header.url).toMatch(/^http:\/\/localhost:3000\/api\/v1\/unsubscribe\?token=/);
    expect(mail.html).toContain(header.url.replace(/&/g, "&amp;"));

    // The link works without a session, pauses only this channel, and cannot be forged.
    const token = new URL(header.url).searchParams.get("token")!;
    expect(await unsubscribe(`${token.split(".")[0]}.forged`)).toBe(false);
    expect(await unsubscribe(token)).toBe(true);
    expect((await listWebhooks()).find((w) => w.id === channel.id)).toMatchObject({ active: false });
    expect(await unsubscribe(token)).toBe(true);
    await db.$transaction((tx) => enqueueDeliveries(tx, "alert.opened", { alert }, NOW, ROUTE));
    expect(await db.webhookDelivery.count({ where: { webhookId: channel.id } })).toBe(2);
    // An admin resumes it (audited); it receives again.
    expect(await setWebhookActive(admin, channel.id, true)).toMatchObject({ active: true });
    await db.$transaction((tx) => enqueueDeliveries(tx, "alert.opened", { alert }, NOW, ROUTE));
    expect(await db.webhookDelivery.count({ where: { webhookId: channel.id } })).toBe(3);
    expect(await db.auditLog.findMany({ where: { entity: "webhook", entityId: String(channel.id) }, orderBy: { id: "asc" }, select: { action: true } })).toEqual([
      { action: "webhook.create" }, { action: "webhook.test" }, { action: "webhook.unsubscribe" }, { action: "webhook.resume" },
    ]);
    await db.webhook.update({ where: { id: channel.id }, data: { active: false } });
  });

  test("an SMTP 4xx is retried with backoff; a 5xx fails at once", async () => {
    const channel = await createWebhook(admin, { type: "email", to: "ops@example.com" });
    const d = await queueAlert(channel.id);
    refuseNext.push(451);
    // Only this delivery: an earlier test's pending one would otherwise race it for the refusal.
    await deliverDueWebhooks(NOW, 1, d.id);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ status: "pending", attempts: 1, lastError: "SMTP 451: try again later" });
    await deliverDueWebhooks(new Date(NOW.getTime() + RETRY_DELAYS_SECONDS[0] * 1000), 1, d.id);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ status: "delivered", attempts: 2 });

    const e = await queueAlert(channel.id);
    refuseNext.push(550);
    await deliverDueWebhooks(NOW, 1, e.id);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ status: "failed", attempts: 1, lastError: "SMTP 550: refused" });
  });
});
