// Pull: SOQL over the configured object, incremental by a watermark field, one event per record (event id =
// record Id, so a re-read record is a duplicate, never a double count). The mapping is checked against the
// object's describe first, so a renamed or missing field fails the run with its name instead of a SOQL error.
import "server-only";
import Decimal from "decimal.js";
import { db } from "@/lib/db";
import type { Connector } from "@/lib/generated/prisma/client";
import { ingestEvents } from "@/lib/ingest/ingest";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { log } from "@/lib/log";
import { orgSettings } from "@/lib/org";
import type { RetryOptions } from "../http";
import type { SalesforceClient, SfRecord } from "./client";
import { clientFor, salesforceSource, settingsOf } from "./connection";
import { buildQuery, checkMapping, toTimestamp } from "./mapping";
import { hasCustomObject, type CustomObjectSettings } from "./schemas";

export type PullTotals = { pages: number; accepted: number; duplicates: number; rejected: number };

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? new Decimal(String(v)) : typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? new Decimal(v) : null);

/** Customer keys for account Ids: linked customers first, else a new customer carrying the Id. */
async function customersFor(accountIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!accountIds.length) return out;
  const linked = await db.customer.findMany({ where: { salesforceAccountId: { in: accountIds } }, orderBy: { id: "asc" } });
  for (const c of linked) if (!out.has(c.salesforceAccountId!)) out.set(c.salesforceAccountId!, c.key);
  for (const id of accountIds.filter((a) => !out.has(a))) {
    const key = `sf-${id}`;
    const c = await db.customer.upsert({ where: { key }, create: { key, name: `Salesforce account ${id}`, salesforceAccountId: id }, update: {} });
    out.set(id, c.key);
  }
  return out;
}

export async function mapRecords(settings: CustomObjectSettings, agentKey: string, currency: string, records: SfRecord[]): Promise<Record<string, unknown>[]> {
  const m = settings.mapping;
  const accounts = m.account ? [...new Set(records.map((r) => str(r[m.account!])).filter((v): v is string => !!v))] : [];
  const customers = await customersFor(accounts);
  const rate = new Decimal(settings.creditRate.amount).div(settings.creditRate.perCredits);
  return records.map((r) => {
    const quantity = m.quantity ? num(r[m.quantity]) : new Decimal(1);
    let credits = m.credits ? num(r[m.credits]) : null;
    if (credits === null && !m.credits && settings.creditsPerUnit !== null) credits = (quantity ?? new Decimal(1)).mul(settings.creditsPerUnit);
    const cost = credits !== null ? credits.mul(rate) : m.cost ? num(r[m.cost]) : null;
    const account = m.account ? str(r[m.account]) : undefined;
    const department = m.department ? str(r[m.department]) : undefined;
    const properties: Record<string, string | number> = { salesforce_object: settings.object };
    if (credits !== null) properties.credits = credits.toNumber();
    if (account) properties.salesforce_account_id = account;
    return {
      id: String(r.Id),
      // An unparseable date is sent as is, so ingestion rejects that record with its reason.
      timestamp: toTimestamp(r[m.timestamp]) ?? String(r[m.timestamp] ?? ""),
      agent: (m.agent && str(r[m.agent])) || agentKey,
      type: (m.usageType && str(r[m.usageType])) || "agentforce.action",
      ...(quantity !== null ? { quantity: quantity.toDecimalPlaces(6).toFixed() } : {}),
      ...(cost !== null ? { cost: { amount: cost.toDecimalPlaces(10).toFixed(), currency } } : {}),
      ...(department ? { department } : {}),
      ...(account ? { customer: customers.get(account)! } : {}),
      properties,
    };
  });
}

/** Imports everything changed since the checkpoint; `progress` is called after each stored page. */
export async function pullConsumption(connector: Connector, totals: PullTotals, progress: () => Promise<void>, options: { now?: Date; retry?: RetryOptions; client?: SalesforceClient } = {}): Promise<void> {
  const settings = settingsOf(connector);
  if (!hasCustomObject(settings)) return;
  const client = options.client ?? clientFor(connector, options.retry);
  const describe = await client.describe(settings.object);
  checkMapping(settings, describe.fields);
  const now = options.now ?? new Date();
  const since = connector.checkpoint ?? new Date(now.getTime() - connector.backfillDays * 86_400_000);
  const { currency } = await orgSettings();
  const source = salesforceSource(connector.id);
  for await (const page of client.query(buildQuery(settings, since))) {
    const events = await mapRecords(settings, connector.agentKey, currency, page.records);
    const result = events.length ? await ingestEvents(source, events, UNRESTRICTED) : { accepted: 0, duplicates: 0, rejected: [] };
    totals.pages++;
    totals.accepted += result.accepted;
    totals.duplicates += result.duplicates;
    totals.rejected += result.rejected.length;
    if (result.rejected.length) log.warn("salesforce records rejected", { connector: connector.id, sample: result.rejected.slice(0, 3) });
    const last = page.records.length ? toTimestamp(page.records[page.records.length - 1]![settings.watermarkField]) : null;
    if (last) {
      // Mid-query, stop 1 ms short: records sharing the last stamp may continue on the next page, and
      // `>` must not skip them if this run dies before reaching it (re-reading them is only a duplicate).
      const mark = new Date(Date.parse(last) - (page.done ? 0 : 1));
      if (!connector.checkpoint || mark > connector.checkpoint) {
        await db.connector.update({ where: { id: connector.id }, data: { checkpoint: mark } });
        connector.checkpoint = mark;
      }
    }
    await progress();
  }
}
