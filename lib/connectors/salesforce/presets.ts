// Agentforce presets: Data 360 rows → events. Event ids are `<preset>:<Salesforce record id>` under the
// connection's source, so a re-read row is a duplicate, never a double count.
// Not counted twice: Flex Credits already include the model cost, so while flex_credits is on, token_usage events
// carry tokens at cost 0 unless `tokensPaidSeparately` says the org pays for tokens another way (then they are priced
// from model prices). Sessions are workload (one agent task each), never tokens or cost.
import Decimal from "decimal.js";
import type { Row } from "./data360";
import type { Resolution } from "./discovery";
import type { Preset, SalesforceSettings } from "./schemas";

export type PresetContext = { settings: SalesforceSettings; agentKey: string; currency: string; object: string; agentsBySession?: Map<string, string> };

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? new Decimal(String(v)) : typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim()) ? new Decimal(v.trim()) : null);
const int = (v: unknown) => {
  const n = num(v);
  return n !== null && n.isInteger() ? n.toNumber() : undefined;
};
const bool = (v: unknown) => (typeof v === "boolean" ? v : v === "true" || v === 1 || v === "1" ? true : v === "false" || v === 0 || v === "0" ? false : undefined);

/** Data 360 returns ISO instants, "+0000" offsets, or "YYYY-MM-DD HH:MM:SS[.fff]" in UTC. */
export function data360Time(value: unknown): string | null {
  if (typeof value !== "string" || !value) return null;
  let v = value.trim().replace(" ", "T").replace(/ ?UTC$/, "Z").replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) v += "T00:00:00Z";
  else if (!/(Z|[+-]\d{2}:\d{2})$/.test(v)) v += "Z";
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Escalation or transfer → escalated; resolved or completed → completed; anything else has no status. */
export function sessionStatus(endType: unknown): "escalated" | "completed" | undefined {
  const t = typeof endType === "string" ? endType.toLowerCase() : "";
  if (/escalat|transfer/.test(t)) return "escalated";
  if (/resolved|completed?$/.test(t)) return "completed";
  return undefined;
}

const creditsActive = (s: SalesforceSettings) => s.presets.includes("flex_credits") && !s.tokensPaidSeparately;

function props(entries: Record<string, string | number | boolean | undefined>): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(entries).filter((e): e is [string, string | number | boolean] => e[1] !== undefined));
}

/** The watermark field of each preset (sessions: their end, so only ended sessions are read, each once). */
export const WATERMARK: Record<Preset, string> = { flex_credits: "time", token_usage: "time", sessions: "end" };

export function mapRow(preset: Preset, r: Resolution, row: Row, ctx: PresetContext): Record<string, unknown> {
  const get = (key: string) => (r.fields[key] ? row[r.fields[key]!] : undefined);
  const id = `${preset}:${str(get("id")) ?? ""}`;
  const base = { id, properties: { salesforce_object: ctx.object } };
  if (preset === "flex_credits") {
    const credits = num(get("credits")) ?? new Decimal(0);
    const rate = new Decimal(ctx.settings.creditRate.amount).div(ctx.settings.creditRate.perCredits);
    const quantity = num(get("quantity"));
    return {
      ...base,
      timestamp: data360Time(get("time")) ?? String(get("time") ?? ""),
      agent: ctx.agentKey,
      type: "agentforce.action",
      quantity: (quantity ?? new Decimal(1)).toDecimalPlaces(6).toFixed(),
      cost: { amount: credits.mul(rate).toDecimalPlaces(10).toFixed(), currency: ctx.currency },
      properties: props({
        ...base.properties,
        credits: credits.toNumber(),
        action: str(get("action")),
        feature: str(get("feature")),
        usage_type: str(get("usageType")),
        usage_subtype: str(get("subtype")),
        multiplier: num(get("multiplier"))?.toNumber(),
        card: str(get("card")),
      }),
    };
  }
  if (preset === "token_usage") {
    return {
      ...base,
      timestamp: data360Time(get("time")) ?? String(get("time") ?? ""),
      agent: str(get("agent")) ?? ctx.agentKey,
      type: "llm.call",
      model: str(get("model")),
      tokens: props({ input: int(get("input")), output: int(get("output")) }),
      ...(creditsActive(ctx.settings) ? { cost: { amount: "0", currency: ctx.currency } } : {}),
      properties: props({
        ...base.properties,
        provider: str(get("provider")),
        billable: bool(get("billable")),
        metered: bool(get("metered")),
        session_id: str(get("session")),
        interaction_id: str(get("interaction")),
        tool: str(get("tool")),
        cost_in_flex_credits: creditsActive(ctx.settings),
      }),
    };
  }
  const start = data360Time(get("start"));
  const end = data360Time(get("end"));
  const sessionId = str(get("id")) ?? "";
  const status = sessionStatus(get("endType"));
  const duration = start && end && end >= start ? (Date.parse(end) - Date.parse(start)) / 1000 : undefined;
  return {
    ...base,
    timestamp: start ?? String(get("start") ?? ""),
    agent: ctx.agentsBySession?.get(sessionId) ?? ctx.agentKey,
    type: "agentforce.session",
    task: { type: "agentforce_session", handled_by: "agent", ...(status ? { status } : {}), ...(duration !== undefined ? { duration_seconds: duration } : {}) },
    properties: props({
      ...base.properties,
      session_id: sessionId,
      end_type: str(get("endType")),
      channel: str(get("channel")),
      messaging_session_id: str(get("messagingSession")),
      voice_call_id: str(get("voiceCall")),
    }),
  };
}
