// Finance notifications of the billing lifecycle (issue 21): "invoice.finalized" for each invoice finalized and
// "invoices.run", a summary of the period after drafts are generated or a bulk finalization, to the channels
// subscribed to them (organization-wide only). Queued in the outbox (lib/alerts/webhooks.ts) and sent by
// "webhooks.deliver" within the minute; a finalized invoice's notice commits with the finalization itself.
import "server-only";
import { enqueueDeliveries } from "@/lib/alerts/webhooks";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import type { Prisma } from "@/lib/generated/prisma/client";
import { invoiceNumber } from "./compose";
import { moneyText } from "./money";

export type FinalizedNotice = { id: number; number: string; period: string; customer: string | null; currency: string; total: string; dueDate: string | null };

export async function notifyInvoiceFinalized(
  tx: Prisma.TransactionClient,
  i: { id: number; number: number | null; period: string; currency: string; total: Prisma.Decimal; dueDate: Date | null },
  customer: string | null,
  now: Date,
): Promise<void> {
  const currency = i.currency.trim();
  const invoice: FinalizedNotice = { id: i.id, number: invoiceNumber(i.number)!, period: i.period, customer, currency, total: moneyText(i.total, currency), dueDate: i.dueDate?.toISOString().slice(0, 10) ?? null };
  await enqueueDeliveries(tx, "invoice.finalized", { invoice }, now, { kind: "invoice.finalized", departmentId: null });
}

export type RunNotice = {
  period: string;
  action: "drafts" | "finalize";
  by: string;
  /** The period's invoices after the run, per status and currency (void ones left out). */
  invoices: { status: string; currency: string; count: number; total: string }[];
  /** Bulk finalization: what this run did. */
  finalized: number | null;
  failed: number | null;
  needsApproval: number | null;
};

/** Queues the period's invoice run summary after the run has committed; a failure here is logged, never the run's. */
export async function notifyInvoiceRun(period: string, action: RunNotice["action"], caller: Caller | null, outcome?: { finalized: number; failed: number; needsApproval: number }): Promise<void> {
  await queueRun(period, action, caller, outcome).catch((error: Error) => log.warn("could not queue the invoice run summary", { period, error: error.message }));
}

async function queueRun(period: string, action: RunNotice["action"], caller: Caller | null, outcome?: { finalized: number; failed: number; needsApproval: number }): Promise<void> {
  const groups = await db.invoice.groupBy({ by: ["status", "currency"], where: { period, status: { not: "void" } }, _count: { _all: true }, _sum: { total: true }, orderBy: [{ status: "asc" }, { currency: "asc" }] });
  const run: RunNotice = {
    period,
    action,
    by: !caller ? "AgentLedger" : caller.kind === "user" ? caller.email : `api key ${caller.id}`,
    invoices: groups.map((g) => ({ status: g.status, currency: g.currency.trim(), count: g._count._all, total: moneyText(g._sum.total ?? 0, g.currency.trim()) })),
    finalized: outcome?.finalized ?? null,
    failed: outcome?.failed ?? null,
    needsApproval: outcome?.needsApproval ?? null,
  };
  await db.$transaction((tx) => enqueueDeliveries(tx, "invoices.run", { run }, new Date(), { kind: "invoices.run", departmentId: null }));
}
