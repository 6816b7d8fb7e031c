// Push: finalized invoices and monthly usage summaries per account go to the org through an outbox
// (salesforce_pushes), upserted by external id with sObject Collections in batches of 200. Each record's
// result is kept; failed records are retried on the next flush (every sync, or the retry button).
import "server-only";
import type { Connector, Prisma } from "@/lib/generated/prisma/client";
import Decimal from "decimal.js";
import { billingPeriod, periodOf, shiftPeriod } from "@/lib/billing/period";
import { db, pool } from "@/lib/db";
import { orgSettings } from "@/lib/org";
import { log } from "@/lib/log";
import type { RetryOptions } from "../http";
import type { SalesforceClient } from "./client";
import { clientFor, SALESFORCE, settingsOf } from "./connection";

const BATCH = 200;
/** A record failing this often stays failed until retried by hand. */
export const MAX_AUTO_ATTEMPTS = 5;

type Kind = "invoice" | "usage_summary";

async function enqueue(connectorId: number, kind: Kind, sobject: string, externalId: string, payload: Record<string, unknown>): Promise<void> {
  const existing = await db.salesforcePush.findUnique({ where: { connectorId_kind_externalId: { connectorId, kind, externalId } } });
  // An unchanged record that already landed is not sent again.
  if (existing && existing.status === "succeeded" && existing.sobject === sobject && JSON.stringify(existing.payload) === JSON.stringify(payload)) return;
  await db.salesforcePush.upsert({
    where: { connectorId_kind_externalId: { connectorId, kind, externalId } },
    create: { connectorId, kind, externalId, sobject, payload: payload as Prisma.InputJsonValue, status: "pending" },
    update: { sobject, payload: payload as Prisma.InputJsonValue, status: "pending", attempts: 0, error: null },
  });
}

/** Sends pending (and automatically retryable failed) records; returns how many succeeded and failed. */
export async function flushPushes(connector: Connector, options: { retry?: RetryOptions; client?: SalesforceClient } = {}): Promise<{ succeeded: number; failed: number }> {
  const settings = settingsOf(connector);
  const rows = await db.salesforcePush.findMany({
    where: { connectorId: connector.id, OR: [{ status: "pending" }, { status: "failed", attempts: { lt: MAX_AUTO_ATTEMPTS } }] },
    orderBy: { id: "asc" },
  });
  if (!rows.length) return { succeeded: 0, failed: 0 };
  const client = options.client ?? clientFor(connector, options.retry);
  const counts = { succeeded: 0, failed: 0 };
  const groups = new Map<string, typeof rows>();
  for (const r of rows) groups.set(`${r.kind}|${r.sobject}`, [...(groups.get(`${r.kind}|${r.sobject}`) ?? []), r]);
  for (const [key, group] of groups) {
    const kind = key.split("|")[0] as Kind;
    const externalIdField = kind === "invoice" ? settings.push.invoiceExternalIdField : settings.push.usageExternalIdField;
    for (let i = 0; i < group.length; i += BATCH) {
      const batch = group.slice(i, i + BATCH);
      const records = batch.map((r) => ({ ...(r.payload as Record<string, unknown>), [externalIdField]: r.externalId }));
      let results: Awaited<ReturnType<SalesforceClient["upsert"]>>;
      try {
        results = await client.upsert(batch[0]!.sobject, externalIdField, records);
      } catch (error) {
        const message = (error as Error).message.slice(0, 1000);
        await db.salesforcePush.updateMany({ where: { id: { in: batch.map((r) => r.id) } }, data: { status: "failed", error: message, attempts: { increment: 1 } } });
        counts.failed += batch.length;
        log.warn("salesforce push failed", { connector: connector.id, error: message });
        continue;
      }
      const now = new Date();
      await db.$transaction(
        batch.map((row, k) => {
          const r = results[k];
          const ok = r?.success === true;
          if (ok) counts.succeeded++;
          else counts.failed++;
          const error = ok ? null : (r?.errors ?? []).map((e) => `${e.statusCode ?? "ERROR"}: ${e.message ?? ""}${e.fields?.length ? ` (${e.fields.join(", ")})` : ""}`).join("; ") || "no result for this record";
          return db.salesforcePush.update({
            where: { id: row.id },
            data: { status: ok ? "succeeded" : "failed", salesforceId: r?.id ?? row.salesforceId, error, attempts: { increment: 1 }, pushedAt: ok ? now : row.pushedAt },
          });
        }),
      );
    }
  }
  return counts;
}

/** The failed records of a connection become pending again and are sent now. */
export async function retryFailedPushes(connector: Connector, options: { retry?: RetryOptions } = {}) {
  await db.salesforcePush.updateMany({ where: { connectorId: connector.id, status: "failed" }, data: { status: "pending", attempts: 0 } });
  return flushPushes(connector, options);
}

const pushConnectors = async () => (await db.connector.findMany({ where: { provider: SALESFORCE, enabled: true }, orderBy: { id: "asc" } }));

type InvoiceWithCustomer = Prisma.InvoiceGetPayload<{ include: { customer: true } }>;

async function enqueueInvoice(connector: Connector, invoice: InvoiceWithCustomer): Promise<boolean> {
  const settings = settingsOf(connector);
  const account = invoice.customer?.salesforceAccountId;
  if (!settings.push.invoiceObject || invoice.status !== "finalized" || !account) return false;
  await enqueue(connector.id, "invoice", settings.push.invoiceObject, `AL-INV-${invoice.number ?? invoice.id}`, {
    Name: `Invoice ${invoice.number ?? invoice.id} ${invoice.period}`,
    Account__c: account,
    Period__c: invoice.period,
    Period_Start__c: invoice.periodStart.toISOString(),
    Period_End__c: invoice.periodEnd.toISOString(),
    Currency__c: invoice.currency,
    Subtotal__c: Number(invoice.subtotal),
    Adjustments__c: Number(invoice.adjustmentsTotal),
    Total__c: Number(invoice.total),
    Status__c: invoice.status,
    Finalized_At__c: invoice.finalizedAt?.toISOString() ?? null,
  });
  return true;
}

/**
 * Billing's hook: call after an invoice is finalized, outside its transaction (fire and forget is fine).
 * Queues the invoice for every enabled Salesforce connection with an invoice object and sends it; never
 * throws — a failure stays in the push log for retry. Customers without a Salesforce Account Id are skipped.
 * Each scheduled sync also queues recently finalized invoices missing from the log, so a crash in between
 * loses nothing.
 */
export async function pushInvoiceToSalesforce(invoiceId: number, options: { retry?: RetryOptions } = {}): Promise<{ queued: number }> {
  let queued = 0;
  try {
    const invoice = await db.invoice.findUnique({ where: { id: invoiceId }, include: { customer: true } });
    if (!invoice) return { queued };
    for (const connector of await pushConnectors()) {
      if (!(await enqueueInvoice(connector, invoice))) continue;
      queued++;
      await flushPushes(connector, options);
    }
  } catch (error) {
    log.warn("salesforce invoice push failed", { invoice: invoiceId, error: (error as Error).message });
  }
  return { queued };
}

/** Finalized invoices of linked customers from the last `days` that this connection has not logged yet. */
export async function enqueueMissingInvoices(connector: Connector, now: Date, days = 40): Promise<number> {
  const logged = new Set((await db.salesforcePush.findMany({ where: { connectorId: connector.id, kind: "invoice" }, select: { externalId: true } })).map((p) => p.externalId));
  const invoices = await db.invoice.findMany({
    where: { status: "finalized", finalizedAt: { gte: new Date(now.getTime() - days * 86_400_000) }, customer: { salesforceAccountId: { not: null } } },
    include: { customer: true },
  });
  let queued = 0;
  for (const invoice of invoices) {
    if (logged.has(`AL-INV-${invoice.number ?? invoice.id}`)) continue;
    if (await enqueueInvoice(connector, invoice)) queued++;
  }
  return queued;
}

/** Usage of one billing month (YYYY-MM in the organization's time zone) per linked account, queued for one connection. */
export async function enqueueUsageSummaries(connector: Connector, period: string): Promise<number> {
  const settings = settingsOf(connector);
  if (!settings.push.usageObject) return 0;
  const org = await orgSettings();
  const { start, end } = billingPeriod(period, org.timeZone);
  // Summed exactly in SQL; only the value sent is rounded (cost half-even to cents).
  const rows = await pool.query<{ account: string; events: number; quantity: string; cost: string }>(
    `SELECT c.salesforce_account_id AS account, sum(e.event_sign)::int AS events, sum(e.quantity)::text AS quantity, sum(e.cost)::text AS cost
     FROM usage_events e JOIN customers c ON c.id = e.customer_id
     WHERE c.salesforce_account_id IS NOT NULL AND e.timestamp >= $1 AND e.timestamp < $2
     GROUP BY c.salesforce_account_id ORDER BY 1`,
    [start, end],
  );
  for (const r of rows.rows) {
    await enqueue(connector.id, "usage_summary", settings.push.usageObject, `AL-USG-${period}-${r.account}`, {
      Name: `AgentLedger usage ${period}`,
      Account__c: r.account,
      Period__c: period,
      Events__c: r.events,
      Quantity__c: Number(r.quantity),
      Cost__c: new Decimal(r.cost).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber(),
      Currency__c: org.currency,
    });
  }
  return rows.rows.length;
}

/** The month before `now`'s month in the organization's time zone: the one the scheduled summary push reports. */
export function previousPeriod(now: Date, timeZone: string): string {
  return shiftPeriod(periodOf(now, timeZone), -1);
}
