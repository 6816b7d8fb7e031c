// Agentforce presets: discover the org's spelling of each preset's Data 360 object, then read rows changed since the
// preset's watermark through the Data 360 Query API, page by page, ingesting each page and advancing the watermark
// (kept per preset in connectors.cursors) after it is stored, so a failed run resumes where it stopped.
import "server-only";
import { db } from "@/lib/db";
import type { Connector } from "@/lib/generated/prisma/client";
import { ingestEvents } from "@/lib/ingest/ingest";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { log } from "@/lib/log";
import { orgSettings } from "@/lib/org";
import { SalesforceError, type SalesforceClient } from "./client";
import { salesforceSource, settingsOf } from "./connection";
import { DEFAULT_QUERY, ident, querySql, sqlString, type QueryOptions, type Row } from "./data360";
import { PARTICIPANT_SPEC, PRESET_SPECS, resolve, type Resolution } from "./discovery";
import { data360Time, mapRow, WATERMARK, type PresetContext } from "./presets";
import type { PullTotals } from "./pull";
import type { Preset } from "./schemas";
import { ingestSessionTraces } from "./session-traces";
import { syncBillingModes } from "./billing-mode";

export type Discovery = { presets: Partial<Record<Preset, Resolution>>; participants: Resolution | null };

export async function discover(client: SalesforceClient, presets: Preset[]): Promise<Discovery> {
  const objects = await client.listObjects();
  const out: Discovery = { presets: {}, participants: null };
  for (const p of presets) out.presets[p] = await resolve(client, PRESET_SPECS[p], objects);
  if (presets.includes("sessions")) {
    const r = await resolve(client, PARTICIPANT_SPEC, objects);
    out.participants = r.missing.length ? null : r;
  }
  return out;
}

function presetSql(r: Resolution, preset: Preset, since: Date, limit?: number): string {
  const columns = [...new Set(Object.values(r.fields).filter((v): v is string => v !== null))].map(ident).join(", ");
  const wm = ident(r.fields[WATERMARK[preset]]!);
  return `SELECT ${columns} FROM ${ident(r.object!)} WHERE ${wm} > TIMESTAMP WITH TIME ZONE ${sqlString(since.toISOString())} ORDER BY ${wm} ASC, ${ident(r.fields.id!)} ASC${limit ? ` LIMIT ${limit}` : ""}`;
}

/** Agent API name per session id, from the participant object (rows without an agent are the user's). */
async function agentsFor(client: SalesforceClient, participants: Resolution | null, sessionIds: string[], options: QueryOptions): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!participants || !sessionIds.length) return out;
  const s = participants.fields.session!;
  const a = participants.fields.agent!;
  const sql = `SELECT ${ident(s)}, ${ident(a)} FROM ${ident(participants.object!)} WHERE ${ident(s)} IN (${sessionIds.map(sqlString).join(", ")}) AND ${ident(a)} IS NOT NULL`;
  for await (const page of querySql(client, sql, options)) for (const row of page.rows) if (typeof row[a] === "string" && row[a]) out.set(String(row[s]), row[a] as string);
  return out;
}

async function context(connector: Connector, client: SalesforceClient, discovery: Discovery, preset: Preset, rows: Row[], options: QueryOptions): Promise<PresetContext> {
  const r = discovery.presets[preset]!;
  const ctx: PresetContext = { settings: settingsOf(connector), agentKey: connector.agentKey, currency: (await orgSettings()).currency, object: r.object! };
  if (preset === "sessions") ctx.agentsBySession = await agentsFor(client, discovery.participants, rows.map((row) => String(row[r.fields.id!])), options);
  return ctx;
}

const unusable = (preset: Preset, r: Resolution | undefined) =>
  !r?.object ? `${PRESET_SPECS[preset].label}: no ${PRESET_SPECS[preset].objects[0]} object in this org (Data 360 and its Agentforce data needed)` : r.missing.length ? `${PRESET_SPECS[preset].label}: ${r.object} lacks ${r.missing.join(", ")}` : null;

/**
 * The presets read org-wide objects, so a second connection to the same org would import every record again under
 * its own source: each org is claimed by one connection (a unique index, so two first runs cannot both win).
 */
async function claimOrg(connector: Connector, client: SalesforceClient): Promise<void> {
  const org = client.orgId ?? new URL(connector.baseUrl).host;
  if (connector.externalAccount === org) return;
  try {
    await db.connector.update({ where: { id: connector.id }, data: { externalAccount: org } });
    connector.externalAccount = org;
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    const other = await db.connector.findFirst({ where: { provider: connector.provider, externalAccount: org }, select: { id: true, name: true } });
    throw new SalesforceError(`Salesforce org ${org} is already read by connection "${other?.name ?? "?"}" (#${other?.id ?? "?"}); a second connection would import its Agentforce records twice. Remove the presets from one of them.`, "org_already_connected");
  }
}

/** Imports every active preset's rows since its watermark; throws (after storing what was read) on the first failure. */
export async function pullPresets(connector: Connector, totals: PullTotals, progress: () => Promise<void>, options: { now?: Date; client: SalesforceClient; query?: QueryOptions }): Promise<void> {
  const settings = settingsOf(connector);
  if (!settings.presets.length) return;
  const { client } = options;
  const query = options.query ?? DEFAULT_QUERY;
  const discovery = await discover(client, settings.presets);
  const problems = settings.presets.map((p) => unusable(p, discovery.presets[p])).filter((m): m is string => m !== null);
  if (problems.length) throw new SalesforceError(problems.join("; "));
  await claimOrg(connector, client);
  const source = salesforceSource(connector.id);
  const now = options.now ?? new Date();
  // Agents the org named in this run (token usage, session participants), whose billing mode is read afterwards.
  const agents = new Set<string>();
  for (const preset of settings.presets) {
    const r = discovery.presets[preset]!;
    const cursors = (connector.cursors ?? {}) as Record<string, string>;
    const since = cursors[preset] ? new Date(cursors[preset]) : new Date(now.getTime() - connector.backfillDays * 86_400_000);
    for await (const page of querySql(client, presetSql(r, preset, since), query)) {
      const ctx = await context(connector, client, discovery, preset, page.rows, query);
      const events = page.rows.map((row) => mapRow(preset, r, row, ctx));
      for (const e of events) if (typeof e.agent === "string" && e.agent !== connector.agentKey) agents.add(e.agent);
      const result = events.length ? await ingestEvents(source, events, UNRESTRICTED) : { accepted: 0, duplicates: 0, rejected: [] };
      totals.pages++;
      totals.accepted += result.accepted;
      totals.duplicates += result.duplicates;
      totals.rejected += result.rejected.length;
      if (result.rejected.length) log.warn("salesforce preset rows rejected", { connector: connector.id, preset, sample: result.rejected.slice(0, 3) });
      // Before the watermark moves: a trace fetch that fails is retried with its sessions on the next run.
      if (preset === "sessions") {
        const sessions = events.map((e) => ({ id: String((e.properties as Record<string, unknown>).session_id ?? ""), start: typeof e.timestamp === "string" ? e.timestamp : null }));
        await ingestSessionTraces(connector, client, settings, ctx.currency, sessions, now, totals);
      }
      const last = page.rows.length ? data360Time(page.rows[page.rows.length - 1]![r.fields[WATERMARK[preset]]!]) : null;
      if (last) {
        // Mid-query, stop 1 ms short: rows sharing the last stamp may continue on the next page (re-reading them is a duplicate).
        const mark = new Date(Date.parse(last) - (page.done ? 0 : 1));
        if (mark > since && (!cursors[preset] || mark > new Date(cursors[preset]))) {
          const next = { ...cursors, [preset]: mark.toISOString() };
          await db.connector.update({ where: { id: connector.id }, data: { cursors: next } });
          connector.cursors = next;
        }
      }
      await progress();
    }
  }
  await syncBillingModes(connector.id, client, settings.apiVersion, [...agents]);
}

export type PresetPreview = { preset: Preset; resolution: Resolution; problem: string | null; sample: Record<string, unknown>[] };

/** What each preset resolves to in this org, and the first rows a sync would import (mapped to events), nothing stored. */
export async function previewPresets(connector: Connector, client: SalesforceClient, presets: Preset[], options: { now?: Date; query?: QueryOptions; sampleSize?: number } = {}): Promise<{ presets: PresetPreview[]; participants: Resolution | null }> {
  const discovery = await discover(client, presets);
  const query = options.query ?? DEFAULT_QUERY;
  const since = new Date((options.now ?? new Date()).getTime() - connector.backfillDays * 86_400_000);
  const out: PresetPreview[] = [];
  for (const preset of presets) {
    const r = discovery.presets[preset]!;
    const problem = unusable(preset, r);
    const sample: Record<string, unknown>[] = [];
    if (!problem) {
      for await (const page of querySql(client, presetSql(r, preset, since, options.sampleSize ?? 5), query)) {
        const ctx = await context(connector, client, discovery, preset, page.rows, query);
        sample.push(...page.rows.map((row) => mapRow(preset, r, row, ctx)));
      }
    }
    out.push({ preset, resolution: r, problem, sample });
  }
  return { presets: out, participants: discovery.participants };
}
