// Reconciliation: per month, the Flex Credits AgentLedger imported (the flex_credits preset's events) against the org's
// own consumption totals (TenantDailyEntitlementConsumption, or TenantHourlyEntitlementConsumption at hour grain), read
// live through the Data 360 Query API. Buckets are UTC days/hours on both sides so they compare like for like. Each
// bucket that differs gets one reason; the month's difference is split by reason. Salesforce's monthly statement stays
// authoritative: this view says where AgentLedger and the wallet's data lake objects disagree, and why.
import "server-only";
import Decimal from "decimal.js";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Connector } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { orgSettings } from "@/lib/org";
import { SalesforceError, type SalesforceClient } from "./client";
import { salesforceSource, settingsOf } from "./connection";
import { DEFAULT_QUERY, ident, querySql, sqlString, type QueryOptions } from "./data360";
import { DAILY_SPEC, HOURLY_SPEC, resolve } from "./discovery";
import { data360Time } from "./presets";
import type { Reconciliation, ReconciliationBucket, ReconciliationReason } from "./schemas";

export type Granularity = "day" | "hour";

const monthStart = (month: string) => new Date(`${month}-01T00:00:00Z`);
const nextMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
const bucketOf = (iso: string, g: Granularity) => (g === "day" ? `${iso.slice(0, 10)}T00:00:00.000Z` : `${iso.slice(0, 13)}:00:00.000Z`);
const step = (g: Granularity) => (g === "day" ? 86_400_000 : 3_600_000);

/** The org's credits per UTC bucket in [from, to). */
async function orgTotals(client: SalesforceClient, g: Granularity, from: Date, to: Date, query: QueryOptions): Promise<{ object: string; totals: Map<string, Decimal> }> {
  const spec = g === "day" ? DAILY_SPEC : HOURLY_SPEC;
  const r = await resolve(client, spec, await client.listObjects());
  if (!r.object) throw new SalesforceError(`Reconciliation: no ${spec.objects[0]} object in this org (Data 360 and the Digital Wallet needed)`);
  if (r.missing.length) throw new SalesforceError(`Reconciliation: ${r.object} lacks ${r.missing.join(", ")}`);
  const columns = [...new Set(Object.values(r.fields).filter((v): v is string => v !== null))].map(ident).join(", ");
  const b = ident(r.fields.bucket!);
  // Documented types: the daily utilization date is a date, the hour bucket a date-time.
  const lit = (d: Date) => (g === "day" ? `DATE ${sqlString(d.toISOString().slice(0, 10))}` : `TIMESTAMP WITH TIME ZONE ${sqlString(d.toISOString())}`);
  const sql = `SELECT ${columns} FROM ${ident(r.object)} WHERE ${b} >= ${lit(from)} AND ${b} < ${lit(to)} ORDER BY ${b} ASC`;
  const totals = new Map<string, Decimal>();
  const dec = (v: unknown) => (v === null || v === undefined || v === "" ? null : new Decimal(String(v)));
  for await (const page of querySql(client, sql, query)) {
    for (const row of page.rows) {
      const at = data360Time(row[r.fields.bucket!]);
      if (!at) continue;
      const credits = r.fields.credits ? dec(row[r.fields.credits]) : null;
      const value = credits ?? (dec(row[r.fields.usage!]) ?? new Decimal(0)).mul((r.fields.multiplier ? dec(row[r.fields.multiplier]) : null) ?? 1);
      const key = bucketOf(at, g);
      totals.set(key, (totals.get(key) ?? new Decimal(0)).add(value));
    }
  }
  return { object: r.object, totals };
}

/** AgentLedger's credits per UTC bucket: the `credits` property of the connection's flex_credits events. */
async function ledgerTotals(connector: Connector, g: Granularity, from: Date, to: Date): Promise<Map<string, Decimal>> {
  const rows = await db.$queryRaw<{ bucket: Date; credits: Prisma.Decimal }[]>(Prisma.sql`
    SELECT date_trunc(${g}, timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "bucket", sum((properties->>'credits')::numeric) AS "credits"
      FROM usage_events
     WHERE source = ${salesforceSource(connector.id)} AND type = 'agentforce.action' AND event_key LIKE 'flex\\_credits:%'
       AND timestamp >= ${from} AND timestamp < ${to}
     GROUP BY 1`);
  return new Map(rows.map((r) => [r.bucket.toISOString(), new Decimal(r.credits.toString())]));
}

/**
 * Why a bucket differs, first match wins: before the first sync's backfill window; after the credits watermark (not
 * synced yet); after the org's last reported bucket (its totals lag, updated several times a day); else unexplained
 * (multipliers changed after the event, Salesforce adjustments, cards: the statement decides).
 */
function reason(at: Date, g: Granularity, ledger: Decimal, org: Decimal, ctx: { windowStart: Date | null; watermark: Date | null; lastOrgBucket: Date | null }): ReconciliationReason {
  const end = new Date(at.getTime() + step(g));
  if (ledger.lt(org)) {
    if (!ctx.windowStart || end <= ctx.windowStart) return "before_sync_window";
    if (!ctx.watermark || end > ctx.watermark) return "not_synced_yet";
  } else if (!ctx.lastOrgBucket || at > ctx.lastOrgBucket) return "not_in_org_totals_yet";
  return "unexplained";
}

export async function reconcile(connector: Connector, client: SalesforceClient, input: { from: string; to: string; granularity: Granularity }, query: QueryOptions = DEFAULT_QUERY): Promise<Reconciliation> {
  const settings = settingsOf(connector);
  if (!settings.presets.includes("flex_credits")) throw new SalesforceError("Reconciliation compares the Flex Credit consumption preset's credits: turn that preset on for this connection");
  const from = monthStart(input.from);
  const to = nextMonth(monthStart(input.to));
  const g = input.granularity;
  const [{ object, totals: org }, ledger, firstRun] = await Promise.all([
    orgTotals(client, g, from, to, query),
    ledgerTotals(connector, g, from, to),
    db.connectorRun.findFirst({ where: { connectorId: connector.id }, orderBy: { id: "asc" }, select: { startedAt: true } }),
  ]);
  const cursor = ((connector.cursors ?? {}) as Record<string, string>).flex_credits;
  const orgBuckets = [...org.keys()].sort();
  const ctx = {
    windowStart: firstRun ? new Date(firstRun.startedAt.getTime() - connector.backfillDays * 86_400_000) : null,
    watermark: cursor ? new Date(cursor) : null,
    lastOrgBucket: orgBuckets.length ? new Date(orgBuckets[orgBuckets.length - 1]!) : null,
  };
  const rate = new Decimal(settings.creditRate.amount).div(settings.creditRate.perCredits);
  const zero = new Decimal(0);
  const buckets: ReconciliationBucket[] = [...new Set([...org.keys(), ...ledger.keys()])].sort().map((key) => {
    const l = ledger.get(key) ?? zero;
    const o = org.get(key) ?? zero;
    return { bucket: key, agentLedgerCredits: l.toFixed(), orgCredits: o.toFixed(), difference: l.sub(o).toFixed(), reason: l.eq(o) ? null : reason(new Date(key), g, l, o, ctx) };
  });
  const months = [];
  for (let m = from; m < to; m = nextMonth(m)) {
    const key = m.toISOString().slice(0, 7);
    const inMonth = buckets.filter((b) => b.bucket.startsWith(key));
    const total = (pick: (b: ReconciliationBucket) => string) => inMonth.reduce((s, b) => s.add(pick(b)), zero);
    const l = total((b) => b.agentLedgerCredits);
    const o = total((b) => b.orgCredits);
    const byReason = (r: ReconciliationReason) => inMonth.filter((b) => b.reason === r).reduce((s, b) => s.add(b.difference), zero).toFixed();
    months.push({
      month: key,
      agentLedgerCredits: l.toFixed(),
      orgCredits: o.toFixed(),
      difference: l.sub(o).toFixed(),
      // Costs at the connection's credit rate, rounded once to cents.
      agentLedgerCost: l.mul(rate).toDecimalPlaces(2).toFixed(2),
      orgCost: o.mul(rate).toDecimalPlaces(2).toFixed(2),
      explained: { before_sync_window: byReason("before_sync_window"), not_synced_yet: byReason("not_synced_yet"), not_in_org_totals_yet: byReason("not_in_org_totals_yet"), unexplained: byReason("unexplained") },
    });
  }
  return {
    granularity: g,
    object,
    currency: (await orgSettings()).currency,
    creditRate: settings.creditRate,
    watermark: ctx.watermark?.toISOString() ?? null,
    authoritative: "Salesforce's monthly Digital Wallet statement is authoritative; these data lake totals are updated several times a day and may be revised.",
    months,
    buckets: buckets.filter((b) => b.reason !== null),
  };
}
