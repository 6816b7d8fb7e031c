// Webhook configuration and delivery. Deliveries are an outbox in PostgreSQL: written in the same transaction
// as the alert change, then sent by whichever instance gets to them, retried with backoff, never lost on restart.
import "server-only";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { BadRequestError, NotFoundError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { OutboundPolicyError, failureReason, outboundFetch, statusReason } from "@/lib/net/outbound";
import { reportAttachments } from "./attachments";
import { sendMail, smtpConfigured } from "./email";
import { emailMessage, noticeOf, slackMessage, teamsMessage } from "./messages";
import type { ChannelCreate, ChannelType, DeliveryView, NotificationKind, WebhookView } from "./schemas";
import { DEFAULT_CHANNEL_KINDS, subscribedChannels } from "./subscriptions";
import { unsubscribeUrl } from "./unsubscribe";
import { SIGNATURE_HEADER, decryptSecret, encryptSecret, newWebhookSecret, signatureHeader } from "./signing";

/** Seconds to wait after the n-th failed attempt; after the last one the delivery is marked failed. */
export const RETRY_DELAYS_SECONDS = [10, 60, 300, 1800, 7200] as const;
const TIMEOUT_MS = 10_000;
/** A claimed delivery is invisible to other instances for this long (covers the request timeout). */
const LEASE_SECONDS = 60;

function view(w: { id: number; type: string; url: string; active: boolean; createdAt: Date }): WebhookView {
  return { id: w.id, type: w.type as ChannelType, url: w.url, active: w.active, createdAt: w.createdAt.toISOString() };
}

/** The organization's channels (users' own email channels are theirs: see subscriptions.ts). */
export async function listWebhooks(): Promise<WebhookView[]> {
  return (await db.webhook.findMany({ where: { userId: null }, orderBy: { id: "asc" } })).map(view);
}

/** A Slack or Teams URL is itself the credential: shown as its host and the start of its path only. */
function redactedUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.slice(0, 12)}…`;
}

/** Adds a channel. A signed webhook's secret is returned once; only encrypted secrets and URLs are stored. */
export async function createWebhook(caller: Caller, url: string): Promise<WebhookView & { secret: string }>;
export async function createWebhook(caller: Caller, input: ChannelCreate): Promise<WebhookView & { secret?: string }>;
export async function createWebhook(caller: Caller, input: string | ChannelCreate): Promise<WebhookView & { secret?: string }> {
  const c: ChannelCreate = typeof input === "string" ? { type: "webhook", url: input } : input;
  const key = env().NEXTAUTH_SECRET;
  let data: { type: ChannelType; url: string; secretEncrypted: string | null };
  let secret: string | undefined;
  if (c.type === "email") {
    if (!smtpConfigured()) throw new BadRequestError("Email channels need SMTP configured on the server (SMTP_HOST, SMTP_FROM)", [{ path: "to", message: "SMTP is not configured on this server" }]);
    data = { type: "email", url: `mailto:${c.to}`, secretEncrypted: null };
  } else if (c.type === "webhook") {
    secret = newWebhookSecret();
    data = { type: "webhook", url: c.url, secretEncrypted: encryptSecret(secret, key) };
  } else {
    data = { type: c.type, url: redactedUrl(c.url), secretEncrypted: encryptSecret(c.url, key) };
  }
  return db.$transaction(async (tx) => {
    // A new channel receives every alert, as before subscriptions; its subscriptions can be narrowed afterwards.
    const w = await tx.webhook.create({ data: { ...data, subscriptions: { create: DEFAULT_CHANNEL_KINDS.map((kind) => ({ kind })) } } });
    await audit(tx, { actor: caller, action: "webhook.create", entity: "webhook", entityId: w.id, after: view(w) });
    return secret ? { ...view(w), secret } : view(w);
  });
}

export async function setWebhookActive(caller: Caller, id: number, active: boolean): Promise<WebhookView> {
  return db.$transaction(async (tx) => {
    const w = await tx.webhook.findUnique({ where: { id } });
    if (!w) throw new NotFoundError(`No channel ${id}`);
    const updated = await tx.webhook.update({ where: { id }, data: { active } });
    await audit(tx, { actor: caller, action: active ? "webhook.resume" : "webhook.pause", entity: "webhook", entityId: id, before: { active: w.active }, after: { active } });
    return view(updated);
  });
}

export async function deleteWebhook(caller: Caller, id: number): Promise<void> {
  await db.$transaction(async (tx) => {
    const w = await tx.webhook.findUnique({ where: { id } });
    if (!w) throw new NotFoundError(`No webhook ${id}`);
    await tx.webhook.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "webhook.delete", entity: "webhook", entityId: id, before: view(w) });
  });
}

/** What a notification is about, for routing: its kind and department (null: the organization). */
export type Route = { kind: NotificationKind; departmentId: number | null };

/**
 * Queues one delivery per active channel subscribed to the route; call inside the transaction that made the
 * notification (the alert change, the digest's once-mark), so it is queued exactly when that commits.
 */
export async function enqueueDeliveries(tx: Prisma.TransactionClient, event: string, payload: Prisma.InputJsonObject, now: Date, route: Route): Promise<number> {
  const channels = await subscribedChannels(tx, route.kind, route.departmentId);
  if (channels.length) await tx.webhookDelivery.createMany({ data: channels.map((webhookId) => ({ webhookId, event, payload, nextAttemptAt: now })) });
  return channels.length;
}

type Claimed = { id: number; channelId: number; event: string; payload: unknown; attempts: number; type: ChannelType; url: string; secretEncrypted: string | null };

export const TEST_EVENT = "webhook.test";

/** Sends every pending delivery that is due (or only delivery `only`); returns how many were attempted. */
export async function deliverDueWebhooks(now = new Date(), limit = 50, only?: number): Promise<number> {
  const claimed = await db.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${now} ${only === undefined ? Prisma.empty : Prisma.sql`AND id = ${only}`}
      ORDER BY next_attempt_at, id LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE webhook_deliveries d SET next_attempt_at = ${now}::timestamptz + ${LEASE_SECONDS} * interval '1 second'
    FROM due, webhooks w
    WHERE d.id = due.id AND w.id = d.webhook_id
    RETURNING d.id, d.webhook_id AS "channelId", d.event, d.payload, d.attempts, w.type, w.url, w.secret_encrypted AS "secretEncrypted"`;
  await Promise.all(claimed.map((d) => attempt(d, now)));
  return claimed.length;
}

/** One attempt's outcome: retry only what may succeed later (5xx, 408, 429, timeouts, network, SMTP 4xx). */
type Outcome = { responseStatus: number | null; error: string | null; retry: boolean };

async function post(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  // The outbound policy checks the address again at connect time: the URL was valid when saved, but its
  // name may resolve elsewhere now.
  const response = await outboundFetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, timeoutMs: TIMEOUT_MS, maxResponseBytes: 1024 * 1024 });
  if (response.ok) return { responseStatus: response.status, error: null, retry: false };
  const retry = response.status >= 500 || response.status === 408 || response.status === 429;
  return { responseStatus: response.status, error: `HTTP ${response.status}: ${statusReason(response.status)}`, retry };
}

async function send(d: Claimed, now: Date): Promise<Outcome> {
  const key = env().NEXTAUTH_SECRET;
  const appUrl = env().NEXTAUTH_URL ?? null;
  if (d.type === "webhook") {
    const body = JSON.stringify({ id: d.id, event: d.event, createdAt: now.toISOString(), data: d.payload });
    return post(d.url, {
      "user-agent": "AgentLedger-Webhooks/1",
      "x-agentledger-event": d.event,
      "x-agentledger-delivery": String(d.id),
      [SIGNATURE_HEADER]: signatureHeader(decryptSecret(d.secretEncrypted!, key), body, Math.floor(now.getTime() / 1000)),
    }, body);
  }
  const notice = noticeOf(d.event, d.payload, appUrl);
  if (d.type === "slack") return post(decryptSecret(d.secretEncrypted!, key), {}, JSON.stringify(slackMessage(notice)));
  if (d.type === "teams") return post(decryptSecret(d.secretEncrypted!, key), {}, JSON.stringify(teamsMessage(notice)));
  const to = d.url.replace(/^mailto:/, "");
  const unsubscribe = appUrl ? unsubscribeUrl(appUrl, d.channelId, to) : null;
  await sendMail({
    to: [to],
    ...emailMessage(notice, unsubscribe),
    attachments: await reportAttachments(d.event, d.payload),
    // RFC 2369 and RFC 8058 one-click: mail clients show their own unsubscribe button.
    headers: unsubscribe ? { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {},
  }, TIMEOUT_MS);
  return { responseStatus: null, error: null, retry: false };
}

async function attempt(d: Claimed, now: Date): Promise<void> {
  const attempts = d.attempts + 1;
  let outcome: Outcome;
  try {
    outcome = await send(d, now);
  } catch (e) {
    const smtpCode = (e as { responseCode?: number }).responseCode;
    if (smtpCode) outcome = { responseStatus: null, error: `SMTP ${smtpCode}: ${smtpCode >= 500 ? "refused" : "try again later"}`, retry: smtpCode < 500 };
    // A refused URL is never sent to, now or later.
    else outcome = { responseStatus: null, error: failureReason(e), retry: !(e instanceof OutboundPolicyError) };
  }
  const { responseStatus, error } = outcome;
  if (!error) {
    await db.webhookDelivery.update({ where: { id: d.id }, data: { status: "delivered", attempts, responseStatus, lastError: null, deliveredAt: new Date() } });
    return;
  }
  // A test send reports its one attempt; retrying it would only add noise to the log.
  const delay = d.event === TEST_EVENT || !outcome.retry ? undefined : RETRY_DELAYS_SECONDS[attempts - 1];
  log.warn("notification delivery failed", { deliveryId: d.id, channel: d.type, attempts, error, retryInSeconds: delay ?? null });
  await db.webhookDelivery.update({
    where: { id: d.id },
    data: delay === undefined
      ? { status: "failed", attempts, responseStatus, lastError: error }
      : { attempts, responseStatus, lastError: error, nextAttemptAt: new Date(now.getTime() + delay * 1000) },
  });
}

/** When the next pending delivery is due, for scheduling the retry timer; null when nothing waits. */
export async function nextDeliveryDue(): Promise<Date | null> {
  const next = await db.webhookDelivery.findFirst({ where: { status: "pending" }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } });
  return next?.nextAttemptAt ?? null;
}

const deliveryInclude = { webhook: { select: { url: true, type: true } } } satisfies Prisma.WebhookDeliveryInclude;
type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ include: typeof deliveryInclude }>;

function deliveryOf(d: DeliveryRow): DeliveryView {
  return {
    id: d.id,
    channel: { id: d.webhookId, type: d.webhook.type as ChannelType, url: d.webhook.url },
    event: d.event,
    status: d.status as DeliveryView["status"],
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
  };
}

/** The delivery log, newest first: every alert change and test send per channel, with its outcome. */
export async function listDeliveries(webhookId: number | undefined, limit: number): Promise<DeliveryView[]> {
  const rows = await db.webhookDelivery.findMany({
    where: webhookId === undefined ? {} : { webhookId },
    include: deliveryInclude,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
  return rows.map(deliveryOf);
}

/** Sends a signed test event to the channel now (one attempt, no retries) and returns the logged outcome. */
export async function sendTestDelivery(caller: Caller, webhookId: number, now = new Date()): Promise<DeliveryView> {
  const delivery = await db.$transaction(async (tx) => {
    const w = await tx.webhook.findUnique({ where: { id: webhookId } });
    if (!w) throw new NotFoundError(`No channel ${webhookId}`);
    const by = caller.kind === "user" ? caller.email : `api key ${caller.id}`;
    const created = await tx.webhookDelivery.create({
      data: { webhookId, event: TEST_EVENT, payload: { message: `Test from AgentLedger, sent by ${by}`, sentAt: now.toISOString() }, nextAttemptAt: now },
    });
    await audit(tx, { actor: caller, action: "webhook.test", entity: "webhook", entityId: webhookId, after: { deliveryId: created.id } });
    return created;
  });
  await deliverDueWebhooks(now, 1, delivery.id);
  return deliveryOf(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id }, include: deliveryInclude }));
}
