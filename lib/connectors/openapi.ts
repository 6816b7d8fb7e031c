// OpenAPI registration of the provider connectors and Salesforce connections APIs (schemas from ./schemas and ./salesforce/schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { ConnectorCreateSchema, ConnectorRunSchema, ConnectorSchema, ConnectorUpdateSchema } from "./schemas";
import {
  PresetPreviewRequestSchema,
  PresetPreviewSchema,
  ReconciliationQuerySchema,
  ReconciliationSchema,
  SalesforceConnectionCreateSchema,
  SalesforceConnectionSchema,
  SalesforceConnectionUpdateSchema,
  SalesforceFlushResultSchema,
  SalesforcePushSchema,
  SalesforceTestResultSchema,
  SalesforceUsageSummaryResultSchema,
  UsageSummaryPushSchema,
} from "./salesforce/schemas";

// connectorId(): anything but a positive integer is a 404, so the path takes any string.
const params = z.object({ id: z.string().meta({ example: "1" }) });
const ADMIN = "Admin role only (session).";

export const registerConnectorsApi: OpenApiResource = (registry, { errors, json, body }) => {

  registry.registerPath({
    method: "get",
    path: "/api/v1/connectors",
    summary: "Provider usage/cost connectors (OpenAI, Anthropic)",
    description: `Each with its settings (never the provider key: only \`apiKeySet\`) and last run. Salesforce connections are at /api/v1/salesforce/connections. ${ADMIN}`,
    responses: { 200: json(z.strictObject({ connectors: z.array(ConnectorSchema) }), "Connectors by id"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/connectors",
    summary: "Create a connector",
    description: `The provider key is stored encrypted. Audited as connector.create. ${ADMIN}`,
    request: body(ConnectorCreateSchema),
    responses: { 200: json(ConnectorSchema, "The connector"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/connectors/{id}",
    summary: "One connector with its last run",
    description: ADMIN,
    request: { params },
    responses: { 200: json(ConnectorSchema, "The connector"), ...errors(401, 403, 404) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/connectors/{id}",
    summary: "Change a connector",
    description: `Moving \`baseUrl\` to another host requires \`apiKey\` again (400). Audited as connector.update. ${ADMIN}`,
    request: { params, ...body(ConnectorUpdateSchema) },
    responses: { 200: json(ConnectorSchema, "The changed connector"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/connectors/{id}",
    summary: "Delete a connector (Salesforce connections too) and its runs",
    description: `Audited as connector.delete. ${ADMIN}`,
    request: { params },
    responses: { 200: json(z.strictObject({ deleted: z.literal(true) }), "Deleted"), ...errors(401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/connectors/{id}/run",
    summary: "Run a connector now (Salesforce connections too)",
    description: `Runs whether due or not and returns the finished run; 409 while another run holds the connector. ${ADMIN}`,
    request: { params },
    responses: { 200: json(ConnectorRunSchema, "The finished run"), ...errors(401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/connectors/{id}/runs",
    summary: "A connector's recent runs, newest first (at most 50)",
    description: ADMIN,
    request: { params },
    responses: { 200: json(z.strictObject({ runs: z.array(ConnectorRunSchema) }), "Runs"), ...errors(401, 403, 404) },
  });

  registry.registerPath({
    method: "get",
    path: "/api/v1/salesforce/connections",
    summary: "Salesforce connections (Agentforce consumption pull, invoice and usage-summary push)",
    description: `Each with its settings (never the client secret: only \`clientSecretSet\`) and last run. ${ADMIN}`,
    responses: { 200: json(z.strictObject({ connections: z.array(SalesforceConnectionSchema) }), "Connections by id"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/salesforce/connections",
    summary: "Connect a Salesforce org",
    description: `The client secret is stored encrypted. Audited as salesforce.connect. ${ADMIN}`,
    request: body(SalesforceConnectionCreateSchema),
    responses: { 200: json(SalesforceConnectionSchema, "The connection"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/salesforce/connections/{id}",
    summary: "One Salesforce connection",
    description: `Delete and run it through /api/v1/connectors/{id}. ${ADMIN}`,
    request: { params },
    responses: { 200: json(SalesforceConnectionSchema, "The connection"), ...errors(401, 403, 404) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/salesforce/connections/{id}",
    summary: "Change a Salesforce connection",
    description: `Moving \`instanceUrl\` to another host requires \`clientSecret\` again (400). \`settings\` is replaced whole. Audited as salesforce.update. ${ADMIN}`,
    request: { params, ...body(SalesforceConnectionUpdateSchema) },
    responses: { 200: json(SalesforceConnectionSchema, "The changed connection"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/salesforce/connections/{id}/test",
    summary: "Test a Salesforce connection",
    description: `Gets a token, describes the configured object and checks the field mapping against it; a failure is a 400 with Salesforce's reason. ${ADMIN}`,
    request: { params },
    responses: { 200: json(SalesforceTestResultSchema, "Connected; the mapping fits the object"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/salesforce/connections/{id}/preview",
    summary: "Preview Agentforce presets: the org's objects and fields each resolves to, and sample rows",
    description: `Lists the org's objects, matches each preset's Data 360 object and fields in this release's spelling (\`ssot__X__dlm\`, \`std__XDmo__dlm\`, \`X_std__dlm\`), and reads the first rows a first sync would import through the Data 360 Query API, mapped to events. Nothing is stored. A failure to reach the org is a 400 with Salesforce's reason. ${ADMIN}`,
    request: { params, ...body(PresetPreviewRequestSchema) },
    responses: { 200: json(PresetPreviewSchema, "Resolution and sample per preset"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/salesforce/connections/{id}/reconciliation",
    summary: "Flex Credits reconciliation: AgentLedger's credits vs the org's consumption totals, per month",
    description:
      "Reads `TenantDailyEntitlementConsumption` (or `TenantHourlyEntitlementConsumption` with `granularity=hour`) through the Data 360 Query API and compares it, per UTC day/hour and month, with the credits of this connection's Flex Credit consumption events; each differing bucket carries a reason. Salesforce's monthly statement is authoritative. A failure to reach the org is a 400 with Salesforce's reason. Admin and finance sessions (not department-scoped users).",
    request: { params, query: ReconciliationQuerySchema },
    responses: { 200: json(ReconciliationSchema, "Months and differing buckets"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/salesforce/connections/{id}/pushes",
    summary: "Push log: invoice and usage-summary records sent to Salesforce, newest first (at most 100)",
    description: ADMIN,
    request: { params },
    responses: { 200: json(z.strictObject({ pushes: z.array(SalesforcePushSchema) }), "Pushes"), ...errors(401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/salesforce/connections/{id}/pushes/retry",
    summary: "Send the failed push records again",
    description: ADMIN,
    request: { params },
    responses: { 200: json(SalesforceFlushResultSchema, "Records sent and their outcome"), ...errors(401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/salesforce/connections/{id}/usage-summaries",
    summary: "Push one month's usage per linked account now",
    description: `Queues a usage summary per linked account for \`period\` (YYYY-MM) and sends the pending records. ${ADMIN}`,
    request: { params, ...body(UsageSummaryPushSchema) },
    responses: { 200: json(SalesforceUsageSummaryResultSchema, "Accounts queued and records sent"), ...errors(400, 401, 403, 404) },
  });
};
