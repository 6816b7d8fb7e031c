// Agents' billing mode from the org: Salesforce documents it as `billingMode` (ActionBased | OutcomeBased) of the
// Metadata API type AiAgentDefinitionVersion (API 68.0+), one component per agent version named `<AgentApiName>#<n>`.
// The documented way to read components: listMetadata for their full names, then readMetadata (≤ 10 names a call).
// Each agent's latest version decides; the org's value replaces the agent's (the admin's included), audited.
import "server-only";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { xmlEscape, type SalesforceClient } from "./client";

const TYPE = "AiAgentDefinitionVersion";
const MODES: Record<string, "action" | "outcome"> = { ActionBased: "action", OutcomeBased: "outcome" };

/** The Metadata API endpoint version: the connection's, or 68.0 where AiAgentDefinitionVersion first exists. */
export const metadataVersion = (apiVersion: string) => (Number(apiVersion) >= 68 ? apiVersion : "68.0");

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
/** Text of the first `<name>` element (any namespace prefix) in an XML fragment. */
const element = (xml: string, name: string) => {
  const m = new RegExp(`<(?:\\w+:)?${name}>([^<]*)</(?:\\w+:)?${name}>`).exec(xml);
  return m ? unescape(m[1]!) : null;
};
/** Contents of each `<name …>…</name>` element; self-closing ones (`<records xsi:nil="true"/>`) are skipped. */
const blocks = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<(?:\\w+:)?${name}\\b[^>]*(?<!/)>([\\s\\S]*?)</(?:\\w+:)?${name}>`, "g"))].map((m) => m[1]!);

/** Agent API name → its billing mode, for the agents among `agents` whose latest version reports one. */
export async function readBillingModes(client: SalesforceClient, apiVersion: string, agents: string[]): Promise<Map<string, "action" | "outcome">> {
  const out = new Map<string, "action" | "outcome">();
  if (!agents.length) return out;
  const version = metadataVersion(apiVersion);
  const listed = await client.metadataSoap(version, `<listMetadata xmlns="http://soap.sforce.com/2006/04/metadata"><queries><type>${TYPE}</type></queries><asOfVersion>${version}</asOfVersion></listMetadata>`);
  const wanted = new Set(agents);
  // Each agent's latest version (highest number) decides; versions are `<agent>#<n>`.
  const latest = new Map<string, number>();
  for (const name of blocks(listed, "result").map((r) => element(r, "fullName"))) {
    const m = name ? /^(.+)#(\d+)$/.exec(name) : null;
    if (m && wanted.has(m[1]!) && Number(m[2]) > (latest.get(m[1]!) ?? 0)) latest.set(m[1]!, Number(m[2]));
  }
  const names = [...latest].map(([agent, n]) => `${agent}#${n}`);
  for (let i = 0; i < names.length; i += 10) {
    const read = await client.metadataSoap(version, `<readMetadata xmlns="http://soap.sforce.com/2006/04/metadata"><type>${TYPE}</type>${names.slice(i, i + 10).map((n) => `<fullNames>${xmlEscape(n)}</fullNames>`).join("")}</readMetadata>`);
    for (const record of blocks(read, "records")) {
      const name = element(record, "fullName");
      const mode = MODES[element(record, "billingMode") ?? ""];
      // A version without a billingMode says nothing: the agent keeps what it has.
      if (name && mode) out.set(name.replace(/#\d+$/, ""), mode);
    }
  }
  return out;
}

/**
 * Sets `agents.billing_mode` from the org for the agents a sync saw. Never fails the sync: an org on an older release,
 * or a connection user without the Metadata API permission, leaves the admin's values as they are (logged).
 */
export async function syncBillingModes(connectorId: number, client: SalesforceClient, apiVersion: string, agents: string[]): Promise<number> {
  let modes: Map<string, "action" | "outcome">;
  try {
    modes = await readBillingModes(client, apiVersion, agents);
  } catch (error) {
    log.warn("salesforce billing modes not read", { connector: connectorId, reason: error instanceof Error ? error.message : String(error) });
    return 0;
  }
  let changed = 0;
  for (const [key, mode] of modes) {
    await db.$transaction(async (tx) => {
      const agent = await tx.agent.findUnique({ where: { key }, select: { id: true, billingMode: true } });
      if (!agent || agent.billingMode === mode) return;
      await tx.agent.update({ where: { id: agent.id }, data: { billingMode: mode } });
      await audit(tx, { actor: null, action: "agent.billing_mode_from_org", entity: "agent", entityId: agent.id, before: { billingMode: agent.billingMode }, after: { billingMode: mode, connector: connectorId } });
      changed++;
    });
  }
  return changed;
}
