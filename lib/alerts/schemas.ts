// Request and response schemas of the alerts and webhooks APIs (the contract).
import { z } from "zod";
import { monthString } from "@/lib/allocation/period";
import { outboundUrlSchema } from "@/lib/net/outbound";

export const alertStatus = z.enum(["open", "acknowledged", "cleared"]);

export const alertView = z
  .object({
    id: z.number().int(),
    key: z.string(),
    kind: z.enum(["budget", "forecast", "anomaly"]),
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

export const webhookCreate = z.object({ url: outboundUrlSchema() }).strict();
/** Channel types: the signed webhook today; the notifications issue adds slack, teams and email. */
export const channelType = z.enum(["webhook"]);
export const webhookView = z.object({ id: z.number().int(), type: channelType, url: z.string(), active: z.boolean(), createdAt: z.string() }).strict();
export const webhookCreated = webhookView.extend({ secret: z.string() }).strict();
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
