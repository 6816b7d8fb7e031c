// Agents' billing mode from the org: Salesforce documents it as `billingMode` (ActionBased | OutcomeBased) of the
// Metadata API type AiAgentDefinitionVersion (API 68.0+), one component per agent version named `<AgentApiName>#<n>`.
// The documented way to read components: listMetadata for their full names, then readMetadata (≤ 10 names a call).
// The latest version of each agent that reports a mode decides; the org's value replaces the agent's, audited.
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
  // Newest version first, so the first mode found per agent is its latest version's.
  const names = blocks(listed, "result")
    .map((r) => element(r, "fullName"))
    .filter((n): n is string => n !== null && wanted.has(n.split("#")[0]!))
    .sort((a, b) => Number(b.split("#")[1] ?? 0) - Number(a.split("#")[1] ?? 0));
  for (let i = 0; i < names.length; i += 10) {
    const batch = names.slice(i, i + 10);
    const read = await client.metadataSoap(version, `<readMetadata xmlns="http://soap.sforce.com/2006/04/metadata"><type>${TYPE}</type>${batch.map((n) => `<fullNames>${xmlEscape(n)}</fullNames>`).join("")}</readMetadata>`);
    const modes = new Map(blocks(read, "records").map((r) => [element(r, "fullName"), MODES[element(r, "billingMode") ?? ""]] as const));
    for (const name of batch) {
      const agent = name.split("#")[0]!;
      const mode = modes.get(name);
      if (mode && !out.has(agent)) out.set(agent, mode);
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
