// Name discovery: the same Data 360 object is `ssot__AiAgentSession__dlm` (fields `ssot__X__c`),
// `std__AiAgentSessionDmo__dlm` (fields `std__X__c`) or `AiAgentSession_std__dlm` depending on the release, and the
// Digital Wallet's data lake objects use lower-case fields (`unitsconsumed__c`). Names are compared in a normal
// form (no namespace prefix, no Dmo/_std/__dlm/__dll/__c suffix, no underscores, lower case), so each preset's
// logical fields resolve to whatever spelling the org has, from the org's own object list and describe.
import type { DescribeField, SalesforceClient } from "./client";
import type { Preset } from "./schemas";

export type LogicalField = { key: string; names: string[]; required: boolean };
export type ObjectSpec = { label: string; objects: string[]; fields: LogicalField[] };

const f = (key: string, names: string[], required = false): LogicalField => ({ key, names, required });

/** What each preset reads; `objects` are logical names, first the documented one. */
export const PRESET_SPECS: Record<Preset, ObjectSpec> = {
  flex_credits: {
    label: "Flex Credit consumption",
    objects: ["TenantEnrichedUsageEvent"],
    fields: [
      f("id", ["Id"], true),
      f("time", ["EventTime", "EventTimestamp", "UsageDateTime"], true),
      f("credits", ["UnitsConsumed"], true),
      f("quantity", ["UsageValue"]),
      f("multiplier", ["Multiplier"]),
      f("action", ["ResourceIdOrApiName"]),
      f("feature", ["FeatureDeveloperName"]),
      f("usageType", ["UsageTypeDeveloperName"]),
      f("subtype", ["UsageSubtype0"]),
      f("card", ["CardDefinitionDeveloperName"]),
    ],
  },
  token_usage: {
    label: "Agentforce token usage",
    objects: ["AiAgentGenerativeAiUsage"],
    fields: [
      f("id", ["Id"], true),
      f("time", ["EventTimestamp", "Timestamp", "CreatedDate", "StartTimestamp"], true),
      f("agent", ["AgentDeveloperName"], true),
      f("model", ["GenAiGatewayModelName"], true),
      f("input", ["PromptInputTokenCount"], true),
      f("output", ["PromptCompletionTokenCount"], true),
      f("provider", ["ModelProviderName"]),
      f("billable", ["IsBillableIndicator"]),
      f("metered", ["IsMeteredIndicator"]),
      f("session", ["AiAgentSessionId"]),
      f("interaction", ["AiAgentInteractionId"]),
      f("tool", ["AiAgentToolName"]),
    ],
  },
  sessions: {
    label: "Agentforce sessions",
    objects: ["AiAgentSession", "AiAgentSessionLog"],
    fields: [
      f("id", ["Id"], true),
      f("start", ["StartTimestamp"], true),
      f("end", ["EndTimestamp"], true),
      f("endType", ["AiAgentSessionEndType"], true),
      f("channel", ["AiAgentChannelType"]),
      f("messagingSession", ["RelatedMessagingSessionId"]),
      f("voiceCall", ["RelatedVoiceCallId"]),
    ],
  },
};

/** Optional: names the agent of each session (sessions without it are booked to the connection's agent key). */
export const PARTICIPANT_SPEC: ObjectSpec = {
  label: "Agentforce session participants",
  objects: ["AiAgentSessionParticipant", "AiAgentSessionParticipantLog"],
  fields: [f("session", ["AiAgentSessionId"], true), f("agent", ["AiAgentApiName"], true)],
};

/** The Digital Wallet's consumption totals, read only for reconciliation (never ingested: they would count credits twice). */
export const DAILY_SPEC: ObjectSpec = {
  label: "Daily entitlement consumption",
  objects: ["TenantDailyEntitlementConsumption"],
  fields: [f("bucket", ["UtilizationDate", "UsageDate"], true), f("credits", ["UnitsConsumed"], true), f("usage", ["UsageConsumed"]), f("multiplier", ["Multiplier"]), f("card", ["CardDefinitionDeveloperName"])],
};

/** Hour × resource; documented without a credits field, so credits = UsageConsumed × Multiplier when UnitsConsumed is absent. */
export const HOURLY_SPEC: ObjectSpec = {
  label: "Hourly entitlement consumption",
  objects: ["TenantHourlyEntitlementConsumption"],
  fields: [f("bucket", ["UsageHourBucket"], true), f("usage", ["UsageConsumed"], true), f("credits", ["UnitsConsumed"]), f("multiplier", ["Multiplier"]), f("resource", ["ResourceIdOrApiName"])],
};

export function normalObject(name: string): string {
  return name
    .toLowerCase()
    .replace(/__(dlm|dll)$/, "")
    .replace(/^(ssot|std)__/, "")
    .replace(/_std$/, "")
    .replace(/dmo$/, "")
    .replace(/_/g, "");
}

export const normalField = (name: string) => name.toLowerCase().replace(/^(ssot|std)__/, "").replace(/__c$/, "").replace(/_/g, "");

export type Resolution = {
  label: string;
  /** The org's object, null when none matched. */
  object: string | null;
  /** Logical field → the org's field (null: not found). */
  fields: Record<string, string | null>;
  /** Required logical fields not found; the preset cannot run while any is missing. */
  missing: string[];
};

export function resolveFields(spec: ObjectSpec, object: string, fields: DescribeField[]): Resolution {
  const byNormal = new Map(fields.map((d) => [normalField(d.name), d.name]));
  const resolved = Object.fromEntries(spec.fields.map((lf) => [lf.key, lf.names.map((n) => byNormal.get(normalField(n))).find((n) => n !== undefined) ?? null]));
  return { label: spec.label, object, fields: resolved, missing: spec.fields.filter((lf) => lf.required && !resolved[lf.key]).map((lf) => lf.key) };
}

/** Finds the spec's object among the org's objects and resolves its fields; of several spellings, the first complete one wins. */
export async function resolve(client: SalesforceClient, spec: ObjectSpec, objects: string[]): Promise<Resolution> {
  const wanted = spec.objects.map((o) => normalObject(o));
  const candidates = objects
    .filter((o) => /__(dlm|dll)$/.test(o) && wanted.includes(normalObject(o)))
    .sort((a, b) => wanted.indexOf(normalObject(a)) - wanted.indexOf(normalObject(b)) || a.localeCompare(b));
  let best: Resolution = { label: spec.label, object: null, fields: Object.fromEntries(spec.fields.map((lf) => [lf.key, null])), missing: spec.fields.filter((lf) => lf.required).map((lf) => lf.key) };
  for (const object of candidates) {
    const r = resolveFields(spec, object, (await client.describe(object)).fields);
    if (!r.missing.length) return r;
    if (best.object === null || r.missing.length < best.missing.length) best = r;
  }
  return best;
}
