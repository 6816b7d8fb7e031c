// The month-end run: the invoice list's search, filters, sort, paging and per-currency totals; finalizing with
// four-eyes approval; bulk finalize with a confirmation summary (dry run) and a result report.
import "server-only";
import { ApiError, ConflictError } from "@/lib/api/errors";
import { needsApproval, pendingFor, requestApproval } from "@/lib/approvals/approvals";
import { audit } from "@/lib/audit";
import type { Caller, UserCaller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { invoiceNumber } from "./compose";
import { missingRatesMessage } from "./fx";
import { notifyInvoiceRun } from "./notify";
import { creditedByInvoice } from "./credit-notes";
import { finalizeInvoice } from "./lifecycle";
import { dec, moneyText } from "./money";
import { lastDayOf } from "./period";
import { summary, summarySelect } from "./queries";
import type { BulkFinalizeResult, InvoiceFilters, InvoiceFx, InvoiceSummary, ListQuery } from "./schemas";

/** The filters as a Prisma condition (shared by the list, its totals and "finalize all drafts matching"). */
export function invoiceWhere(f: InvoiceFilters): Prisma.InvoiceWhereInput {
  const and: Prisma.InvoiceWhereInput[] = [];
  if (f.period) and.push({ period: f.period });
  if (f.status) and.push({ status: f.status });
  if (f.currency) and.push({ currency: f.currency });
  if (f.customer) and.push({ customer: { key: f.customer } });
  if (f.sent === "yes") and.push({ sends: { some: { status: "sent" } } });
  if (f.sent === "no") and.push({ sends: { none: { status: "sent" } } });
  if (f.q) {
    const number = /^(?:INV-)?0*(\d{1,9})$/i.exec(f.q)?.[1];
    and.push({
      OR: [
        { customer: { name: { contains: f.q, mode: "insensitive" } } },
        { customer: { key: { contains: f.q, mode: "insensitive" } } },
        ...(number ? [{ number: Number(number) }] : []),
      ],
    });
  }
  return { AND: and };
}

const orderFor: Record<ListQuery["sort"], (o: "asc" | "desc") => Prisma.InvoiceOrderByWithRelationInput[]> = {
  number: (o) => [{ number: { sort: o, nulls: "last" } }],
  customer: (o) => [{ customer: { name: o } }],
  period: (o) => [{ period: o }, { customer: { name: "asc" } }],
  finalizedAt: (o) => [{ finalizedAt: { sort: o, nulls: "last" } }],
  total: (o) => [{ total: o }],
  currency: (o) => [{ currency: o }],
  status: (o) => [{ status: o }],
};

type CurrencyTotal = { currency: string; count: number; total: string };

async function currencyTotals(where: Prisma.InvoiceWhereInput): Promise<CurrencyTotal[]> {
  const groups = await db.invoice.groupBy({ by: ["currency"], where, _sum: { total: true }, _count: { _all: true }, orderBy: { currency: "asc" } });
  return groups.map((g) => ({ currency: g.currency.trim(), count: g._count._all, total: moneyText(g._sum.total ?? 0, g.currency.trim()) }));
}

// Invoices bill customers, not departments: department-scoped callers get 403 (lib/auth/scope.ts).
export async function searchInvoices(caller: Caller, query: ListQuery): Promise<{ invoices: InvoiceSummary[]; count: number; totals: CurrencyTotal[] }> {
  assertOrganizationWide(caller, "Invoices");
  const where = invoiceWhere(query);
  const [rows, count, totals] = await Promise.all([
    db.invoice.findMany({ where, select: summarySelect, orderBy: [...orderFor[query.sort](query.order), { id: "asc" }], take: query.limit, skip: query.offset }),
    db.invoice.count({ where }),
    currencyTotals(where),
  ]);
  const ids = rows.map((r) => r.id);
  const [credited, pending] = await Promise.all([creditedByInvoice(db, ids), pendingFor("invoice_finalize", ids)]);
  return { invoices: rows.map((r) => summary(r, credited.get(r.id), pending.get(r.id) ?? null)), count, totals };
}

/** The currencies invoices exist in (the list's currency filter). */
export async function invoiceCurrencies(): Promise<string[]> {
  const rows = await db.invoice.findMany({ distinct: ["currency"], select: { currency: true }, orderBy: { currency: "asc" } });
  return rows.map((r) => r.currency.trim());
}

type Candidate = { id: number; period: string; status: string; currency: string; total: Prisma.Decimal; fx: Prisma.JsonValue; customer: { name: string } | null };

/** Why a draft cannot be finalized now (the same checks finalize makes), or null. */
function blocker(i: Candidate): string | null {
  if (i.status !== "draft") return `Invoice ${i.id} is ${i.status}; only drafts can be finalized`;
  const missing = (i.fx as InvoiceFx | null)?.missing ?? [];
  return missing.length > 0 ? missingRatesMessage(i.id, missing) : null;
}

export type FinalizeOutcome = { finalized: true } | { finalized: false; approvalId: number };

/**
 * Finalizes a draft, unless four-eyes approval applies (organization setting; the total valued in the organization
 * currency at the period's last day's rate): then a pending request is stored (or the one pending is returned) and
 * the invoice stays a draft until a different finance/admin user approves it.
 */
export async function finalizeOrRequestApproval(id: number, caller: UserCaller): Promise<FinalizeOutcome> {
  const invoice = await db.invoice.findUnique({ where: { id }, select: { id: true, status: true, period: true, currency: true, total: true, fx: true } });
  if (invoice && invoice.status === "draft" && (await needsApproval(dec(invoice.total), invoice.currency.trim(), lastDayOf(invoice.period)))) {
    const reason = blocker({ ...invoice, customer: null });
    if (reason) throw new ConflictError(reason); // no request for what could not be finalized anyway
    const approval = await requestApproval(caller, { kind: "invoice_finalize", subjectId: id, amount: dec(invoice.total), currency: invoice.currency.trim() });
    return { finalized: false, approvalId: approval.id };
  }
  await finalizeInvoice(id, caller);
  return { finalized: true };
}

export type BulkFinalizeInput = { ids?: number[]; period?: string; filters?: Omit<InvoiceFilters, "period" | "status">; dryRun: boolean };

const MAX_BULK = 500;

/**
 * Bulk finalize: the selected drafts (ids, in that order; or every draft of a period matching the filters, by
 * customer name) are checked as finalize would; the dry run answers with that summary. Otherwise each is finalized
 * in order through the one finalize (so numbers stay sequential), one transaction each: a failure is reported and
 * the rest go on. Drafts at or above the four-eyes threshold get an approval request instead. Audited as one run.
 */
export async function bulkFinalize(caller: UserCaller, input: BulkFinalizeInput): Promise<BulkFinalizeResult> {
  assertOrganizationWide(caller, "Invoices");
  const select = { id: true, period: true, status: true, currency: true, total: true, fx: true, customer: { select: { name: true } } } as const;
  let candidates: Candidate[];
  if (input.ids) {
    const rows = await db.invoice.findMany({ where: { id: { in: input.ids } }, select });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const unknown = input.ids.filter((id) => !byId.has(id));
    if (unknown.length > 0) throw new ApiError(404, "not_found", `Invoice(s) not found: ${unknown.join(", ")}`);
    candidates = [...new Set(input.ids)].map((id) => byId.get(id)!);
  } else {
    candidates = await db.invoice.findMany({
      where: { AND: [invoiceWhere({ ...input.filters, period: input.period, status: "draft" })] },
      select,
      orderBy: [{ customer: { name: "asc" } }, { id: "asc" }],
      take: MAX_BULK + 1,
    });
    if (candidates.length > MAX_BULK) throw new ConflictError(`More than ${MAX_BULK} drafts match; narrow the filters or finalize in several runs`);
  }

  const ref = (i: Candidate) => ({ id: i.id, customer: i.customer?.name ?? null, currency: i.currency.trim(), total: moneyText(i.total, i.currency.trim()) });
  const ready: Candidate[] = [];
  const approval: Candidate[] = [];
  const failed: BulkFinalizeResult["failed"] = [];
  for (const i of candidates) {
    const reason = blocker(i);
    if (reason) failed.push({ ...ref(i), reason });
    else if (await needsApproval(dec(i.total), i.currency.trim(), lastDayOf(i.period))) approval.push(i);
    else ready.push(i);
  }
  const pending = await pendingFor("invoice_finalize", approval.map((i) => i.id));
  const totalsOf = (rows: Candidate[]) => {
    const sums = new Map<string, { count: number; total: ReturnType<typeof dec> }>();
    for (const i of rows) {
      const c = i.currency.trim();
      const s = sums.get(c) ?? { count: 0, total: dec(0) };
      sums.set(c, { count: s.count + 1, total: s.total.plus(dec(i.total)) });
    }
    return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, s]) => ({ currency, count: s.count, total: moneyText(s.total, currency) }));
  };
  const result: BulkFinalizeResult = {
    dryRun: input.dryRun,
    count: candidates.length,
    totals: totalsOf([...ready, ...approval]),
    ready: ready.map(ref),
    needsApproval: approval.map((i) => ({ ...ref(i), approvalId: pending.get(i.id) ?? null })),
    failed,
    finalized: [],
  };
  if (input.dryRun) return result;

  result.ready = [];
  for (const i of ready) {
    try {
      const outcome = await finalizeOrRequestApproval(i.id, caller);
      if (outcome.finalized) {
        const { number } = await db.invoice.findUniqueOrThrow({ where: { id: i.id }, select: { number: true } });
        result.ready.push(ref(i));
        result.finalized.push({ id: i.id, number: invoiceNumber(number)! });
      } else result.needsApproval.push({ ...ref(i), approvalId: outcome.approvalId });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result.failed.push({ ...ref(i), reason: error.message });
    }
  }
  for (const entry of result.needsApproval) {
    if (entry.approvalId !== null) continue;
    const requested = await requestApproval(caller, { kind: "invoice_finalize", subjectId: entry.id, amount: dec(entry.total), currency: entry.currency });
    entry.approvalId = requested.id;
  }
  for (const period of new Set(candidates.map((i) => i.period))) {
    const inPeriod = (id: number) => candidates.find((c) => c.id === id)?.period === period;
    await notifyInvoiceRun(period, "finalize", caller, {
      finalized: result.finalized.filter((f) => inPeriod(f.id)).length,
      failed: result.failed.filter((f) => inPeriod(f.id)).length,
      needsApproval: result.needsApproval.filter((n) => inPeriod(n.id)).length,
    });
  }
  await audit(db, {
    actor: caller,
    action: "invoice.bulk_finalize",
    entity: "invoice",
    after: { selection: input.ids ? { ids: input.ids } : { period: input.period, filters: input.filters ?? {} }, finalized: result.finalized, failed: result.failed.map((f) => ({ id: f.id, reason: f.reason })), approvalRequested: result.needsApproval.map((n) => ({ id: n.id, approvalId: n.approvalId })) },
  });
  return result;
}
