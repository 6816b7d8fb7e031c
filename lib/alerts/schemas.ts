// Request and response schemas of the alerts and webhooks APIs (the contract).
import { z } from "zod";
import { monthString } from "@/lib/allocation/period";
import { outboundUrlSchema } from "@/lib/net/outbound";

export const alertStatus = z.enum(["open", "acknowledged", "cleared"]);

export const alertView = z
  .object({
    id: z.number().int(),
    key: z.string(),
    kind: z.enum(["budget", "forecast", "anomaly", "budget_limit", "commitment"]),
    /** Null for organization-wide alerts. */
    department: z.object({ code: z.string(), name: z.string() }).strict().nullable(),
    period: z.string(),
    status: alertStatus,
    message: z.string(),
    value: z.string(),
    threshold: z.string(),
    openedAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    clearedAt: z.string().nullable(),
  })
  .strict();

export const alertListQuery = z.object({
  status: alertStatus.optional(),
  /** Alerts of this month: its budget and forecast alerts and its days' anomalies. */
  period: monthString.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
export const alertListResponse = z.object({ alerts: z.array(alertView) }).strict();
export const alertIdParams = z.object({ id: z.coerce.number().int().positive() });

/** Channel types: a signed JSON webhook, a Slack incoming webhook, a Teams workflow webhook, an email address. */
export const channelType = z.enum(["webhook", "slack", "teams", "email"]);
/** Without `type`, a signed webhook (the API before issue 21). Slack and Teams URLs pass the outbound policy too. */
export const webhookCreate = z.preprocess((v) => (v && typeof v === "object" && !("type" in v) ? { ...v, type: "webhook" } : v), z.discriminatedUnion("type", [
  z.object({ type: z.literal("webhook"), url: outboundUrlSchema() }).strict(),
  z.object({ type: z.enum(["slack", "teams"]), url: outboundUrlSchema() }).strict(),
  z.object({ type: z.literal("email"), to: z.email().max(254) }).strict(),
]));
export type ChannelCreate = z.infer<typeof webhookCreate>;
export const webhookView = z.object({ id: z.number().int(), type: channelType, url: z.string(), active: z.boolean(), createdAt: z.string() }).strict();
/** Pause (also what an email's unsubscribe link does) or resume a channel. */
export const channelUpdate = z.object({ active: z.boolean() }).strict();
/** A signed webhook's secret is returned once, at creation; other channel types have none. */
export const webhookCreated = webhookView.extend({ secret: z.string().optional() }).strict();
export const webhookListResponse = z.object({ webhooks: z.array(webhookView) }).strict();

export const deliveryStatus = z.enum(["pending", "delivered", "failed"]);
export const deliveryView = z
  .object({
    id: z.number().int(),
    channel: z.object({ id: z.number().int(), type: channelType, url: z.string() }).strict(),
    /** alert.opened | alert.cleared | webhook.test */
    event: z.string(),
    status: deliveryStatus,
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    /** When a pending delivery is tried again. */
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .strict();
export const deliveryListQuery = z.object({ channel: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
export const deliveryListResponse = z.object({ deliveries: z.array(deliveryView) }).strict();

export type AlertView = z.infer<typeof alertView>;
export type WebhookView = z.infer<typeof webhookView>;
export type DeliveryView = z.infer<typeof deliveryView>;
export type ChannelType = z.infer<typeof channelType>;

export const unsubscribeQuery = z.object({ token: z.string().min(10).max(1000) }).strict();
export const unsubscribeResponse = z.object({ unsubscribed: z.literal(true) }).strict();

/** What a subscription can be to. Alert kinds: organization-wide means every department's alerts and the
 *  organization's own; digest and statement kinds: organization-wide means the organization's one. */
export const notificationKind = z.enum(["budget", "forecast", "anomaly", "commitment", "digest.daily", "digest.weekly", "statement.monthly", "invoice.finalized", "invoices.run"]);
export type NotificationKind = z.infer<typeof notificationKind>;
export const subscriptionItem = z
  .object({
    kind: notificationKind,
    /** A department code, or null for the whole organization. */
    department: z.string().trim().min(1).max(32).nullable(),
  })
  .strict();
export const subscriptionsUpdate = z.object({ subscriptions: z.array(subscriptionItem).max(500) }).strict();
export const subscriptionsView = z
  .object({
    subscriptions: z.array(subscriptionItem),
    /** The departments the caller may subscribe to (null = every department and the organization). */
    departments: z.array(z.object({ code: z.string(), name: z.string() }).strict()),
    /** Whether organization-wide subscriptions are allowed (not for department-scoped users). */
    organizationWide: z.boolean(),
  })
  .strict();
/** The signed-in user's own email subscriptions; `email` is where they go, `active` false once unsubscribed by link. */
export const mySubscriptionsView = subscriptionsView
  .extend({
    email: z.string(),
    active: z.boolean(),
    /** Departments the user owns: their alerts and monthly statement are subscribed by default (unticking opts out). */
    owned: z.array(z.string()),
  })
  .strict();
export type SubscriptionItem = z.infer<typeof subscriptionItem>;
export type SubscriptionsView = z.infer<typeof subscriptionsView>;
export type MySubscriptionsView = z.infer<typeof mySubscriptionsView>;
