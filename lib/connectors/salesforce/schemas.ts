// /api/v1/salesforce contract and the Salesforce connector's settings (stored in connectors.settings).
// The client secret is write-only: responses say only whether one is set.
import { z } from "zod";
import { ConnectorRunSchema } from "@/lib/connectors/schemas";
import { EventSchema } from "@/lib/ingest/schemas";
import { outboundUrlSchema } from "@/lib/net/outbound";

const apiName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must be a Salesforce API name").max(80);

export const FieldMappingSchema = z
  .strictObject({
      timestamp: apiName.meta({ description: "When the consumption happened (dateTime or date field)." }),
      agent: apiName.optional().meta({ description: "Agent key; default: the connection's agent key." }),
      usageType: apiName.optional().meta({ description: "Action/usage type; default `agentforce.action`." }),
      quantity: apiName.optional().meta({ description: "Units consumed; default 1 per record." }),
      credits: apiName.optional().meta({ description: "Credits consumed; converted to cost with the credit rate." }),
      cost: apiName.optional().meta({ description: "Cost in the organization currency (used when no credits field)." }),
      department: apiName.optional().meta({ description: "Cost-center code." }),
      account: apiName.optional().meta({ description: "Account Id; linked to the customer with that salesforceAccountId (created if none)." }),
  })
  .meta({ id: "SalesforceFieldMapping" });

export const PRESETS = ["flex_credits", "token_usage", "sessions"] as const;
export const PresetSchema = z.enum(PRESETS).meta({
  id: "SalesforcePreset",
  description: "flex_credits: Flex Credit consumption; token_usage: Agentforce token usage; sessions: Agentforce sessions (see docs/salesforce.md).",
});
export type Preset = z.infer<typeof PresetSchema>;

export const SalesforceSettingsSchema = z
  .strictObject({
    clientId: z.string().min(1).max(500),
    auth: z.enum(["client_credentials", "jwt_bearer"]).default("client_credentials").meta({ description: "OAuth 2.0 flow: client credentials (the secret is the consumer secret) or JWT bearer (the secret is the PEM private key of the connected app's certificate)." }),
    username: z.string().min(1).max(200).nullable().default(null).meta({ description: "JWT bearer: the Salesforce username the token is issued for (`sub`)." }),
    audience: z.url().max(200).default("https://login.salesforce.com").meta({ description: "JWT bearer: `aud` — https://login.salesforce.com, https://test.salesforce.com for a sandbox, or the Experience Cloud site URL." }),
    apiVersion: z.string().regex(/^\d{2,3}\.0$/).default("62.0"),
    queryApi: z.enum(["connect", "v2"]).default("connect").meta({ description: "Data 360 reads: connect = Connect REST /ssot/query-sql with the Salesforce token; v2 = Query API V2 on the Data 360 tenant, after exchanging the token at /services/a360/token (orgs that require it)." }),
    object: apiName.nullable().default(null).meta({ example: "AgentforceConsumption__c", description: "Custom object read by SOQL with `mapping`; null: none (presets only)." }),
    watermarkField: apiName.default("SystemModstamp"),
    mapping: FieldMappingSchema.nullable().default(null),
    presets: z.array(PresetSchema).max(PRESETS.length).default([]).meta({ description: "Agentforce presets read from Data 360 objects found in the org (names discovered per release)." }),
    /** Flex Credits include the model cost; only when the org pays for tokens another way are token events priced. */
    tokensPaidSeparately: z.boolean().default(false).meta({ description: "Price token_usage events from model prices even while flex_credits is active (the org pays for tokens outside Flex Credits)." }),
    /** Cost of `perCredits` credits, organization currency: $500 per 100,000 credits by default. */
    creditRate: z.strictObject({ amount: z.string().regex(/^\d+(\.\d+)?$/), perCredits: z.number().int().positive() }).default({ amount: "500", perCredits: 100_000 }),
    /** Credits per unit of quantity when no credits field is mapped (e.g. 20 per action); null: none. */
    creditsPerUnit: z.number().nonnegative().nullable().default(null),
    push: z
    .strictObject({
      invoiceObject: apiName.nullable().default(null),
      invoiceExternalIdField: apiName.default("AgentLedger_Id__c"),
      usageObject: apiName.nullable().default(null),
      usageExternalIdField: apiName.default("AgentLedger_Id__c"),
    })
    .default({ invoiceObject: null, invoiceExternalIdField: "AgentLedger_Id__c", usageObject: null, usageExternalIdField: "AgentLedger_Id__c" }),
  })
  .superRefine((s, ctx) => {
    if ((s.object === null) !== (s.mapping === null)) ctx.addIssue({ code: "custom", path: [s.object === null ? "object" : "mapping"], message: "object and mapping go together" });
    if (s.object === null && s.presets.length === 0) ctx.addIssue({ code: "custom", path: ["presets"], message: "choose at least one preset or a custom object" });
    if (s.auth === "jwt_bearer" && !s.username) ctx.addIssue({ code: "custom", path: ["username"], message: "required for the JWT bearer flow" });
    if (new Set(s.presets).size !== s.presets.length) ctx.addIssue({ code: "custom", path: ["presets"], message: "each preset once" });
  });
export type SalesforceSettings = z.infer<typeof SalesforceSettingsSchema>;
/** Settings of a connection that reads a custom object by SOQL. */
export type CustomObjectSettings = SalesforceSettings & { object: string; mapping: z.infer<typeof FieldMappingSchema> };
export const hasCustomObject = (s: SalesforceSettings): s is CustomObjectSettings => s.object !== null && s.mapping !== null;

export const SalesforceConnectionCreateSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    instanceUrl: outboundUrlSchema().meta({ example: "https://acme.my.salesforce.com" }),
    clientSecret: z.string().min(1).max(10_000).meta({ description: "Connected app consumer secret, or for the JWT bearer flow the PEM private key; stored encrypted, never returned." }),
    settings: SalesforceSettingsSchema,
    agentKey: z.string().min(1).max(128).default("agentforce"),
    intervalMinutes: z.number().int().min(5).max(10_080).default(60),
    backfillDays: z.number().int().min(1).max(365).default(30),
    enabled: z.boolean().default(true),
  })
  .meta({ id: "SalesforceConnectionCreate" });

export const SalesforceConnectionUpdateSchema = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    instanceUrl: outboundUrlSchema().optional(),
    clientSecret: z.string().min(1).max(10_000).optional(),
    settings: SalesforceSettingsSchema.optional(),
    agentKey: z.string().min(1).max(128).optional(),
    intervalMinutes: z.number().int().min(5).max(10_080).optional(),
    backfillDays: z.number().int().min(1).max(365).optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: "SalesforceConnectionUpdate" });

export const SalesforcePushSchema = z
  .strictObject({
    id: z.number().int(),
    kind: z.enum(["invoice", "usage_summary"]),
    externalId: z.string(),
    sobject: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    salesforceId: z.string().nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    pushedAt: z.string().nullable(),
  })
  .meta({ id: "SalesforcePush" });

export const UsageSummaryPushSchema = z.strictObject({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }).meta({ id: "SalesforceUsageSummaryPush" });

export const SalesforceConnectionSchema = z
  .strictObject({
    id: z.number().int(),
    name: z.string(),
    instanceUrl: z.string(),
    clientSecretSet: z.boolean(),
    settings: SalesforceSettingsSchema.meta({ description: "As stored when the connection was created or last changed (defaults filled in)." }),
    agentKey: z.string(),
    intervalMinutes: z.number().int(),
    backfillDays: z.number().int(),
    enabled: z.boolean(),
    watermark: z.string().nullable().meta({ description: "Watermark field value of the last record pulled." }),
    nextRunAt: z.string(),
    lastRun: ConnectorRunSchema.nullable(),
  })
  .meta({ id: "SalesforceConnection" });

export const SalesforceTestResultSchema = z.strictObject({
  ok: z.literal(true),
  object: z.string().nullable().meta({ description: "The custom object described; null for a presets-only connection (authenticated and listed the org's objects)." }),
  fields: z.number().int().meta({ description: "Its number of fields." }),
});

export const SalesforceFlushResultSchema = z.strictObject({
  succeeded: z.number().int().meta({ description: "Records Salesforce accepted." }),
  failed: z.number().int().meta({ description: "Records that failed (see the push log)." }),
});

export const SalesforceUsageSummaryResultSchema = SalesforceFlushResultSchema.extend({
  accounts: z.number().int().meta({ description: "Linked accounts a usage summary was queued for (0 when no usage object is configured)." }),
});

export const PresetPreviewRequestSchema = z
  .strictObject({ presets: z.array(PresetSchema).min(1).max(PRESETS.length).refine((p) => new Set(p).size === p.length, "each preset once") })
  .meta({ id: "SalesforcePresetPreviewRequest" });

const ResolutionSchema = z.strictObject({
  label: z.string().meta({ example: "Agentforce sessions" }),
  object: z.string().nullable().meta({ description: "The org's object (this release's spelling); null when none was found.", example: "ssot__AiAgentSession__dlm" }),
  fields: z.record(z.string(), z.string().nullable()).meta({ description: "Logical field → the org's field (null: not found).", example: { end: "ssot__EndTimestamp__c" } }),
  missing: z.array(z.string()).meta({ description: "Required logical fields not found; the preset cannot sync while any is missing." }),
});

export const PresetPreviewSchema = z
  .strictObject({
    presets: z.array(
      z.strictObject({
        preset: PresetSchema,
        resolution: ResolutionSchema,
        problem: z.string().nullable().meta({ description: "Why this preset cannot sync in this org; null when it can." }),
        sample: z.array(EventSchema).meta({ description: "The first rows a first sync would import, as the events it would send to ingestion (nothing stored)." }),
      }),
    ),
    participants: ResolutionSchema.nullable().meta({ description: "Session participant object naming each session's agent (sessions preset); null when absent (sessions go to the connection's agent key)." }),
  })
  .meta({ id: "SalesforcePresetPreview" });

export type PresetPreviewView = z.infer<typeof PresetPreviewSchema>;
export type SalesforceConnectionView = z.infer<typeof SalesforceConnectionSchema>;
export type SalesforceTestResult = z.infer<typeof SalesforceTestResultSchema>;
export type SalesforceFlushResult = z.infer<typeof SalesforceFlushResultSchema>;
export type SalesforceUsageSummaryResult = z.infer<typeof SalesforceUsageSummaryResultSchema>;
export type SalesforceConnectionCreate = z.infer<typeof SalesforceConnectionCreateSchema>;
export type SalesforceConnectionUpdate = z.infer<typeof SalesforceConnectionUpdateSchema>;
export type SalesforcePushView = z.infer<typeof SalesforcePushSchema>;

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month as YYYY-MM");
export const ReconciliationQuerySchema = z
  .strictObject({
    from: month.meta({ description: "First month (UTC), YYYY-MM." }),
    to: month.meta({ description: "Last month (UTC), YYYY-MM; at most 12 months after `from`." }),
    granularity: z.enum(["day", "hour"]).default("day").meta({ description: "day: TenantDailyEntitlementConsumption; hour: TenantHourlyEntitlementConsumption." }),
  })
  .superRefine((q, ctx) => {
    const months = (Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4))) * 12 + Number(q.to.slice(5)) - Number(q.from.slice(5));
    if (months < 0) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
    if (months > 11) ctx.addIssue({ code: "custom", path: ["to"], message: "at most 12 months in one request" });
  })
  .meta({ id: "SalesforceReconciliationQuery" });

export const RECONCILIATION_REASONS = ["before_sync_window", "not_synced_yet", "not_in_org_totals_yet", "unexplained"] as const;
const ReasonSchema = z.enum(RECONCILIATION_REASONS).meta({
  description:
    "before_sync_window: before the first sync's backfill, never read; not_synced_yet: after the credits watermark; not_in_org_totals_yet: after the org's last reported bucket (its totals lag); unexplained: e.g. a multiplier or adjustment applied after the event — the statement decides.",
});
export type ReconciliationReason = z.infer<typeof ReasonSchema>;
const credits = z.string().meta({ description: "Credits, exact decimal." });

const BucketSchema = z.strictObject({
  bucket: z.string().meta({ description: "Start of the UTC day or hour." }),
  agentLedgerCredits: credits,
  orgCredits: credits,
  difference: credits.meta({ description: "AgentLedger − org." }),
  reason: ReasonSchema.nullable(),
});
export type ReconciliationBucket = z.infer<typeof BucketSchema>;

export const ReconciliationSchema = z
  .strictObject({
    granularity: z.enum(["day", "hour"]),
    object: z.string().meta({ description: "The org's consumption object read (this release's spelling)." }),
    currency: z.string(),
    creditRate: z.strictObject({ amount: z.string(), perCredits: z.number().int() }),
    watermark: z.string().nullable().meta({ description: "How far the credits preset has read (null: never synced)." }),
    authoritative: z.string(),
    months: z.array(
      z.strictObject({
        month: z.string(),
        agentLedgerCredits: credits,
        orgCredits: credits,
        difference: credits,
        agentLedgerCost: z.string().meta({ description: "At the connection's credit rate, rounded to cents." }),
        orgCost: z.string(),
        explained: z.record(ReasonSchema, z.string()).meta({ description: "The difference split by reason (sums to `difference`)." }),
      }),
    ),
    buckets: z.array(BucketSchema).meta({ description: "Only the days/hours that differ." }),
  })
  .meta({ id: "SalesforceReconciliation" });
export type Reconciliation = z.infer<typeof ReconciliationSchema>;
