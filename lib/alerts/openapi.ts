// OpenAPI registration of the alerts and alert-webhook API (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { alertListQuery, alertListResponse, alertView, deliveryListQuery, deliveryListResponse, deliveryView, webhookCreate, webhookCreated, webhookListResponse, webhookView, channelUpdate, unsubscribeQuery, unsubscribeResponse, subscriptionsUpdate, subscriptionsView, mySubscriptionsView } from "./schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/) });

export const registerAlertsApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json, body }) => {
  registry.registerPath({
    method: "get",
    path: "/api/v1/alerts",
    summary: "Budget, forecast and spend-anomaly alerts",
    description: "Evaluated in the background after ingestion. One alert per condition: open → acknowledged → cleared (when the condition ends).",
    security: apiKeyOrSession,
    request: { query: alertListQuery },
    responses: { 200: json(alertListResponse, "Alerts, newest first"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/alerts/{id}/acknowledge",
    summary: "Acknowledge an open alert",
    description: "Admin and finance roles.",
    security: apiKeyOrSession,
    request: { params: idPath },
    responses: { 200: json(alertView, "The alert"), ...errors(401, 403, 404, 409) },
  });
  registry.registerPath({ method: "get", path: "/api/v1/alerts/webhooks", summary: "Alert webhooks", description: "Admin role only.", responses: { 200: json(webhookListResponse, "Webhooks"), ...errors(401, 403) } });
  registry.registerPath({
    method: "post",
    path: "/api/v1/alerts/webhooks",
    summary: "Add a notification channel",
    description:
      "`type`: `webhook` (default), `slack` (incoming webhook URL; Block Kit message), `teams` (workflow webhook URL; Adaptive Card 1.5) or `email` (`to`; needs SMTP_* on the server). " +
      "Slack and Teams URLs are secrets: stored encrypted, shown cut short. Every URL must pass the outbound-URL policy. " +
      "Webhook alert changes are POSTed as JSON `{id, event: alert.opened|alert.cleared, createdAt, data: {alert}}`, retried with backoff (10 s, 1 min, 5 min, 30 min, 2 h) after 5xx, 408, 429, timeouts or network errors (SMTP 4xx for email); other failures and URLs the outbound policy refuses fail at once. " +
      "Header `X-AgentLedger-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>`. The secret is returned once. Admin role only.",
    request: body(webhookCreate),
    responses: { 201: json(webhookCreated, "The webhook and its signing secret"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/alerts/webhooks/{id}",
    summary: "Pause or resume a notification channel",
    description: "A paused channel gets no new deliveries (an email's unsubscribe link pauses its channel). Audited. Admin role only.",
    request: { params: idPath, ...body(channelUpdate) },
    responses: { 200: json(webhookView, "The channel"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({ method: "delete", path: "/api/v1/alerts/webhooks/{id}", summary: "Delete an alert webhook", description: "Admin role only.", request: { params: idPath }, responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404) } });
  registry.registerPath({
    method: "post",
    path: "/api/v1/alerts/webhooks/{id}/test",
    summary: "Send a test event to a channel",
    description: "Sends a `webhook.test` notification now through the channel (signed JSON, Slack, Teams or email) (one attempt, no retries) and returns the delivery as logged: delivered, or failed with the reason. Audited. Admin role only.",
    request: { params: idPath },
    responses: { 200: json(deliveryView, "The test delivery"), ...errors(401, 403, 404) },
  });
  const kinds =
    "Kinds: `budget`, `forecast`, `anomaly` (alerts; organization-wide = every department's and the organization's), `digest.daily`, `digest.weekly`, `statement.monthly` " +
    "(scheduled reports; organization-wide = the organization's report, a department = that department's), `invoice.finalized`, `invoices.run` " +
    "(billing: each finalized invoice, the invoice run summary after drafts are generated or bulk-finalized; organization-wide only). " +
    "A department's owner receives its alerts and monthly statement without a subscription; their own view lists these, and leaving one out opts out. ";
  registry.registerPath({
    method: "get",
    path: "/api/v1/alerts/webhooks/{id}/subscriptions",
    summary: "What a notification channel receives",
    description: kinds + "Admin role only. Users' own email channels are not listed here (404).",
    request: { params: idPath },
    responses: { 200: json(subscriptionsView, "The channel's subscriptions"), ...errors(401, 403, 404) },
  });
  registry.registerPath({
    method: "put",
    path: "/api/v1/alerts/webhooks/{id}/subscriptions",
    summary: "Set what a notification channel receives",
    description: kinds + "Replaces the channel's subscriptions (`department`: a code or null for organization-wide). A new channel starts with the three alert kinds organization-wide. Audited. Admin role only.",
    request: { params: idPath, ...body(subscriptionsUpdate) },
    responses: { 200: json(subscriptionsView, "The channel's subscriptions"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/account/notifications",
    summary: "My email notifications",
    description: kinds + "Any signed-in user; `departments` lists what they may subscribe to. `active` is false after they unsubscribed through a mail's link.",
    responses: { 200: json(mySubscriptionsView, "The caller's subscriptions"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "put",
    path: "/api/v1/account/notifications",
    summary: "Set my email notifications",
    description: kinds + "Replaces the caller's own subscriptions, sent by email to their address (SMTP_* must be configured for mail to go out); saving also re-activates an unsubscribed address. Department-scoped users: their departments only (403 otherwise, and organization-wide is refused). Audited.",
    request: body(subscriptionsUpdate),
    responses: { 200: json(mySubscriptionsView, "The caller's subscriptions"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/alerts/deliveries",
    summary: "Notification delivery log",
    description: "Every alert change and test send per channel, newest first, with attempts, the last response status and error, and the next retry. Admin role only.",
    request: { query: deliveryListQuery },
    responses: { 200: json(deliveryListResponse, "Deliveries"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/unsubscribe",
    summary: "Open the unsubscribe page of a notification email",
    description: "No session. Redirects (303) to the page with the button; a GET never unsubscribes (link scanners).",
    security: [],
    request: { query: unsubscribeQuery },
    responses: { 303: { description: "To /unsubscribe?token=" } },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/unsubscribe",
    summary: "Unsubscribe from notification mail (RFC 8058 one-click)",
    description: "No session: the signed token from the email's List-Unsubscribe header or link is the credential. Pauses that email channel. `Accept: text/html` gets a 303 to the confirmation page.",
    security: [],
    request: { query: unsubscribeQuery },
    responses: { 200: json(unsubscribeResponse, "Unsubscribed"), 303: { description: "To /unsubscribe?done=1" }, ...errors(400, 404) },
  });
};
