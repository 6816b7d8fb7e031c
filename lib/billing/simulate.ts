// Pricing simulation: a past period's actual usage re-rated under a candidate rate card, next to what the customer
// is (or would be) billed now. It runs draft generation's own computation (computeDrafts) with the candidate in
// place of the assigned plans, and never writes: no invoice, no line, no audit entry.
import "server-only";
import { BadRequestError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { toCsv } from "@/lib/csv";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import { invoiceNumber, invoiceTotals, type Line } from "./compose";
import { computeDrafts, storedLine, taxedDraft } from "./generate";
import { Dec, dec, moneyText, sum } from "./money";
import { billingPeriod, type BillingPeriod } from "./period";
import { plansFor, type Plan } from "./plans";
import { ChargeConfigError, rateCharge, type ChargeModel, type Tier } from "./rating";
import type { PlanChanges, SimulatedCustomer, SimulationRequest, SimulationResult } from "./simulation-schemas";

type Charge = Plan["charges"][number];
type LineView = { kind: Line["kind"]; meterId: number | null; description: string; quantity: string; amount: Dec };

const planLabel = (p: Plan) => `${p.key}@v${p.version}`;
const decimalOrNull = (v: string | null) => (v === null ? null : new Prisma.Decimal(v));

/** The candidate as customerId → plan, for the customers it prices. */
async function candidatePlans(request: SimulationRequest, current: Map<number, Plan>, customerIds: number[]): Promise<{ plans: Map<number, Plan>; label: string }> {
  const { candidate } = request;
  if (candidate.kind === "plan") {
    const plan = await db.pricePlan.findUnique({ where: { id: candidate.planId }, include: { charges: { include: { meter: true }, orderBy: { id: "asc" } } } });
    if (!plan) throw new BadRequestError("Invalid request body", [{ path: "candidate.planId", message: `no price plan ${candidate.planId}` }]);
    return { plans: new Map(customerIds.map((id) => [id, plan])), label: planLabel(plan) };
  }
  const keys = [...new Set((candidate.changes.charges ?? []).map((c) => c.meter))];
  const meters = new Map((await db.meter.findMany({ where: { key: { in: keys } } })).map((m) => [m.key, m]));
  const unknown = (candidate.changes.charges ?? []).flatMap((c, i) => (meters.has(c.meter) ? [] : [{ path: `candidate.changes.charges.${i}.meter`, message: `no meter '${c.meter}'` }]));
  if (unknown.length > 0) throw new BadRequestError("Invalid request body", unknown);
  const changed = new Map<number, Plan>(); // by current plan id: customers on the same plan share one candidate
  const plans = new Map<number, Plan>();
  for (const id of customerIds) {
    const plan = current.get(id);
    if (!plan) continue; // nothing to change: the customer has no plan in the period
    if (!changed.has(plan.id)) changed.set(plan.id, applyChanges(plan, candidate.changes, meters));
    plans.set(id, changed.get(plan.id)!);
  }
  return { plans, label: "changes to each current plan" };
}

/** The plan with `changes` applied; every resulting charge is checked for the fields its model needs. */
export function applyChanges(plan: Plan, changes: PlanChanges, meters: Map<string, Charge["meter"]>): Plan {
  let charges = [...plan.charges];
  (changes.charges ?? []).forEach((change, i) => {
    const meter = meters.get(change.meter)!;
    const at = charges.findIndex((c) => c.meterId === meter.id);
    if (change.remove) {
      if (at >= 0) charges.splice(at, 1);
      return;
    }
    const base: Charge | null = at >= 0 ? charges[at]! : null;
    const model = change.model ?? base?.model;
    if (!model) throw new BadRequestError("Invalid request body", [{ path: `candidate.changes.charges.${i}.model`, message: `required to add a charge on '${meter.key}' (not in ${planLabel(plan)})` }]);
    const pick = (key: "unitPrice" | "packageSize" | "markupPercent" | "creditsPerUnit" | "creditPackSize" | "creditPackPrice" | "freeUnits") =>
      change[key] === undefined ? (base?.[key] ?? null) : decimalOrNull(change[key]);
    const next: Charge = {
      id: base?.id ?? 0,
      planId: plan.id,
      meterId: meter.id,
      meter,
      model,
      unitPrice: pick("unitPrice"),
      tiers: change.tiers === undefined ? (base?.tiers ?? null) : change.tiers,
      packageSize: pick("packageSize"),
      markupPercent: pick("markupPercent"),
      creditsPerUnit: pick("creditsPerUnit"),
      creditPackSize: pick("creditPackSize"),
      creditPackPrice: pick("creditPackPrice"),
      freeUnits: pick("freeUnits"),
      // Outcome terms and the tax category are the current charge's (a simulation changes prices, not these).
      minimumAmount: base?.minimumAmount ?? null,
      maximumAmount: base?.maximumAmount ?? null,
      guaranteeMaxEscalationRate: base?.guaranteeMaxEscalationRate ?? null,
      guaranteeCreditPercent: base?.guaranteeCreditPercent ?? null,
      taxCategory: base?.taxCategory ?? null,
    };
    try {
      rateCharge({ ...next, model: next.model as ChargeModel, tiers: next.tiers as Tier[] | null }, 1);
    } catch (error) {
      if (error instanceof ChargeConfigError) throw new BadRequestError("Invalid request body", [{ path: `candidate.changes.charges.${i}`, message: error.message }]);
      throw error;
    }
    if (at >= 0) charges[at] = next;
    else charges = [...charges, next];
  });
  const minimumSpend = changes.minimumSpend === undefined ? plan.minimumSpend : decimalOrNull(changes.minimumSpend);
  return { ...plan, minimumSpend, charges };
}

async function customerIdsOf(request: SimulationRequest, period: BillingPeriod) {
  if (!request.customers) return [...(await plansFor(period)).keys()];
  const found = await db.customer.findMany({ where: { key: { in: request.customers } }, select: { id: true, key: true } });
  const known = new Set(found.map((c) => c.key));
  const unknown = request.customers.flatMap((key, i) => (known.has(key) ? [] : [{ path: `customers.${i}`, message: `no customer '${key}'` }]));
  if (unknown.length > 0) throw new BadRequestError("Invalid request body", unknown);
  return found.map((c) => c.id);
}

/** Draft generation's computation under both cards; a candidate the engine cannot rate is the caller's error. */
async function rateBoth(...args: Parameters<typeof computeDrafts>) {
  const [period, timeZone, ids, candidate] = args;
  try {
    return await Promise.all([computeDrafts(period, timeZone, ids), computeDrafts(period, timeZone, ids, candidate)]);
  } catch (error) {
    if (error instanceof ChargeConfigError) throw new BadRequestError(`The candidate rate card cannot rate this usage: ${error.message}`);
    throw error;
  }
}

// Lines are paired across the two sides: usage by meter, the minimum and commitment lines by kind, others in order.
function lineKey(l: LineView, seen: Map<string, number>): string {
  const base = l.kind === "usage" ? `usage:${l.meterId}` : l.kind === "minimum" || l.kind === "commitment" ? l.kind : `${l.kind}:${l.description}`;
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return `${base}#${n}`;
}

export async function simulatePricing(caller: Caller, request: SimulationRequest): Promise<SimulationResult> {
  assertOrganizationWide(caller, "Pricing simulations");
  const { timeZone } = await orgSettings();
  const period = billingPeriod(request.period, timeZone);
  const ids = await customerIdsOf(request, period);
  const currentPlans = await plansFor(period, ids);
  const candidate = await candidatePlans(request, currentPlans, ids);
  const [current, simulated] = await rateBoth(period, timeZone, ids, candidate.plans);
  const [invoices, customers] = await Promise.all([
    db.invoice.findMany({
      where: { period: period.period, customerId: { in: ids }, status: { not: "void" } },
      include: { lines: { orderBy: { id: "asc" } } },
    }),
    db.customer.findMany({ where: { id: { in: ids } }, select: { id: true, key: true, name: true } }),
  ]);
  const invoiceOf = new Map(invoices.map((i) => [i.customerId!, i]));
  const meterIds = [...new Set([...current.values(), ...simulated.values()].flatMap((c) => c.lines.flatMap((l) => (l.meterId ? [l.meterId] : []))).concat(invoices.flatMap((i) => i.lines.flatMap((l) => (l.meterId ? [l.meterId] : [])))))];
  const meterKey = new Map((await db.meter.findMany({ where: { id: { in: meterIds } }, select: { id: true, key: true } })).map((m) => [m.id, m.key]));
  const view = (l: { kind: string; meterId: number | null; description: string; quantity: Prisma.Decimal | Dec; amount: Prisma.Decimal | Dec }): LineView => ({
    kind: l.kind as Line["kind"],
    meterId: l.meterId,
    description: l.description,
    quantity: l.quantity.toString(),
    amount: dec(l.amount),
  });

  const results: SimulatedCustomer[] = [];
  for (const customer of customers) {
    const sim = simulated.get(customer.id);
    if (!sim) continue; // the candidate does not price this customer (changes to a plan it does not have)
    const invoice = invoiceOf.get(customer.id);
    const now = current.get(customer.id);
    // Finance's manual adjustments stay on a regenerated draft, so they belong to the simulated side too.
    const kept = (invoice?.lines ?? []).filter((l) => l.kind === "adjustment");
    // Taxed as a draft would be: the computed lines and the kept adjustments together.
    const simLines = taxedDraft(sim, kept.map(storedLine)).written.map(view).concat(kept.map(view));
    const curLines = invoice ? invoice.lines.map(view) : now ? taxedDraft(now, []).lines.map(view) : [];
    const currentCurrency = invoice ? invoice.currency.trim() : (now?.currency ?? sim.currency);
    const currentTotal = invoice ? dec(invoice.total) : invoiceTotals(curLines).total;
    const simulatedTotal = invoiceTotals(simLines).total;
    const comparable = currentCurrency === sim.currency;
    const delta = simulatedTotal.minus(currentTotal);

    const rows = new Map<string, { cur?: LineView; sim?: LineView }>();
    const seenCur = new Map<string, number>();
    const seenSim = new Map<string, number>();
    for (const l of curLines) rows.set(lineKey(l, seenCur), { cur: l });
    for (const l of simLines) {
      const key = lineKey(l, seenSim);
      rows.set(key, { ...rows.get(key), sim: l });
    }
    const plan = currentPlans.get(customer.id);
    results.push({
      customer,
      currency: sim.currency,
      current: {
        source: invoice ? "invoice" : "current_plan",
        currency: currentCurrency,
        total: moneyText(currentTotal, currentCurrency),
        plan: plan ? planLabel(plan) : null,
        invoice: invoice ? { id: invoice.id, number: invoiceNumber(invoice.number), status: invoice.status as "draft" | "finalized" } : null,
      },
      simulated: { total: moneyText(simulatedTotal, sim.currency), plan: planLabel(candidate.plans.get(customer.id)!) + (request.candidate.kind === "changes" ? " + changes" : "") },
      delta: comparable ? moneyText(delta, sim.currency) : null,
      deltaPercent: comparable && !currentTotal.isZero() ? delta.div(currentTotal).times(100).toFixed(2) : null,
      lines: [...rows.values()].map(({ cur, sim: s }) => {
        const l = (s ?? cur)!;
        return {
          kind: l.kind,
          meter: l.meterId ? (meterKey.get(l.meterId) ?? null) : null,
          description: l.description,
          quantity: l.quantity,
          current: cur ? moneyText(cur.amount, currentCurrency) : null,
          simulated: s ? moneyText(s.amount, sim.currency) : null,
          delta: moneyText((s?.amount ?? new Dec(0)).minus(cur?.amount ?? 0), sim.currency),
        };
      }),
    });
  }
  results.sort((a, b) => {
    if (a.delta === null || b.delta === null) return a.delta === null ? (b.delta === null ? a.customer.key.localeCompare(b.customer.key) : 1) : -1;
    return dec(b.delta).abs().cmp(dec(a.delta).abs()) || a.customer.key.localeCompare(b.customer.key);
  });

  const byCurrency = new Map<string, SimulatedCustomer[]>();
  for (const r of results) if (r.delta !== null) byCurrency.set(r.currency, [...(byCurrency.get(r.currency) ?? []), r]);
  const totals = [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, rs]) => {
    const cur = sum(rs.map((r) => dec(r.current.total)));
    const simTotal = sum(rs.map((r) => dec(r.simulated.total)));
    return { currency, current: moneyText(cur, currency), simulated: moneyText(simTotal, currency), delta: moneyText(simTotal.minus(cur), currency) };
  });
  return { period: period.period, candidate: candidate.label, customers: results, totals };
}

/** One row per customer, in the result's order (biggest movers first). */
export function simulationCsv(result: SimulationResult): string {
  return toCsv(
    ["period", "customer_key", "customer_name", "current_source", "current_invoice", "current_plan", "current_currency", "current_total", "simulated_plan", "currency", "simulated_total", "delta", "delta_percent"],
    result.customers.map((r) => [
      result.period,
      r.customer.key,
      r.customer.name,
      r.current.source,
      r.current.invoice?.number ?? (r.current.invoice ? `draft ${r.current.invoice.id}` : ""),
      r.current.plan,
      r.current.currency,
      r.current.total,
      r.simulated.plan,
      r.currency,
      r.simulated.total,
      r.delta,
      r.deltaPercent,
    ]),
  );
}

/** One row per line of each customer (paired as on the page): what each charge, minimum or tax line moved. */
export function simulationLinesCsv(result: SimulationResult): string {
  return toCsv(
    ["period", "customer_key", "customer_name", "currency", "kind", "meter", "description", "quantity", "current", "simulated", "delta"],
    result.customers.flatMap((r) =>
      r.lines.map((l) => [result.period, r.customer.key, r.customer.name, r.currency, l.kind, l.meter, l.description, l.quantity, l.current, l.simulated, l.delta]),
    ),
  );
}
