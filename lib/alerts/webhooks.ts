// Webhook configuration and delivery. Deliveries are an outbox in PostgreSQL: written in the same transaction
// as the alert change, then sent by whichever instance gets to them, retried with backoff, never lost on restart.
import "server-only";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { NotFoundError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { failureReason, outboundFetch, statusReason } from "@/lib/net/outbound";
import type { DeliveryView, WebhookView } from "./schemas";
import { SIGNATURE_HEADER, decryptSecret, encryptSecret, newWebhookSecret, signatureHeader } from "./signing";

/** Seconds to wait after the n-th failed attempt; after the last one the delivery is marked failed. */
export const RETRY_DELAYS_SECONDS = [10, 60, 300, 1800, 7200] as const;
const TIMEOUT_MS = 10_000;
/** A claimed delivery is invisible to other instances for this long (covers the request timeout). */
const LEASE_SECONDS = 60;

function view(w: { id: number; url: string; active: boolean; createdAt: Date }): WebhookView {
  // Every channel is a signed webhook today; the notifications issue adds other types beside it.
  return { id: w.id, type: "webhook", url: w.url, active: w.active, createdAt: w.createdAt.toISOString() };
}

export async function listWebhooks(): Promise<WebhookView[]> {
  return (await db.webhook.findMany({ orderBy: { id: "asc" } })).map(view);
}

/** Returns the signing secret once; only its encrypted form is stored. */
export async function createWebhook(caller: Caller, url: string): Promise<WebhookView & { secret: string }> {
  const secret = newWebhookSecret();
  return db.$transaction(async (tx) => {
    const w = await tx.webhook.create({ data: { url, secretEncrypted: encryptSecret(secret, env().NEXTAUTH_SECRET) } });
    await audit(tx, { actor: caller, action: "webhook.create", entity: "webhook", entityId: w.id, after: view(w) });
    return { ...view(w), secret };
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

/** Queues one delivery per active webhook; call inside the transaction that changed the alert. */
export async function enqueueDeliveries(tx: Prisma.TransactionClient, event: string, payload: Prisma.InputJsonObject, now: Date): Promise<void> {
  const hooks = await tx.webhook.findMany({ where: { active: true }, select: { id: true } });
  if (hooks.length) await tx.webhookDelivery.createMany({ data: hooks.map((h) => ({ webhookId: h.id, event, payload, nextAttemptAt: now })) });
}

type Claimed = { id: number; event: string; payload: unknown; attempts: number; url: string; secretEncrypted: string };

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
    RETURNING d.id, d.event, d.payload, d.attempts, w.url, w.secret_encrypted AS "secretEncrypted"`;
  await Promise.all(claimed.map((d) => attempt(d, now)));
  return claimed.length;
}

async function attempt(d: Claimed, now: Date): Promise<void> {
  const attempts = d.attempts + 1;
  let responseStatus: number | null = null;
  let error: string | null = null;
  try {
    const body = JSON.stringify({ id: d.id, event: d.event, createdAt: now.toISOString(), data: d.payload });
    // The outbound policy checks the address again at connect time: the URL was valid when saved, but its
    // name may resolve elsewhere now.
    const response = await outboundFetch(d.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "AgentLedger-Webhooks/1",
        "x-agentledger-event": d.event,
        "x-agentledger-delivery": String(d.id),
        [SIGNATURE_HEADER]: signatureHeader(decryptSecret(d.secretEncrypted, env().NEXTAUTH_SECRET), body, Math.floor(now.getTime() / 1000)),
      },
      body,
      timeoutMs: TIMEOUT_MS,
      maxResponseBytes: 1024 * 1024,
    });
    responseStatus = response.status;
    if (!response.ok) error = `HTTP ${response.status}: ${statusReason(response.status)}`;
  } catch (e) {
    error = failureReason(e);
  }
  if (!error) {
    await db.webhookDelivery.update({ where: { id: d.id }, data: { status: "delivered", attempts, responseStatus, lastError: null, deliveredAt: new Date() } });
    return;
  }
  // A test send reports its one attempt; retrying it would only add noise to the log.
  const delay = d.event === TEST_EVENT ? undefined : RETRY_DELAYS_SECONDS[attempts - 1];
  log.warn("webhook delivery failed", { deliveryId: d.id, attempts, error, retryInSeconds: delay ?? null });
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

type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ include: { webhook: { select: { url: true } } } }>;

function deliveryOf(d: DeliveryRow): DeliveryView {
  return {
    id: d.id,
    channel: { id: d.webhookId, type: "webhook", url: d.webhook.url },
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
    include: { webhook: { select: { url: true } } },
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
  return deliveryOf(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { webhook: { select: { url: true } } } }));
}
