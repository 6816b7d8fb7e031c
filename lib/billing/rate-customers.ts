// Rates every customer with a plan for one period: plan lookup, one aggregation query (plus one for money meters by
// currency), FX valuation into each customer's billing currency, then the pure engine.
import "server-only";
import { db } from "@/lib/db";
import { orgSettings } from "@/lib/org";
import type { RatedCharge } from "./compose";
import { FxValuer, periodRates, type FxRule } from "./fx";
import { Dec, sum } from "./money";
import { costByCurrency, isCostMeter, meterQuantities, type EscalationStats, type MeterDef } from "./usage";
import { plansFor, type Plan } from "./plans";
import { lastDayOf, type BillingPeriod } from "./period";
import { rateCharge, type ChargeModel, type ChargeSpec, type Tier } from "./rating";

/** `currency` is the invoice's (the customer's billing currency, else the plan's); `fx` values amounts into it. */
export type RatedCustomer = { plan: Plan; currency: string; minimumSpend: Dec | null; charges: RatedCharge[]; fx: FxValuer };

/** What an outcome line counted, and the agents' escalation rate over the same tasks (null without an agent task). */
function outcomeRef(meter: MeterDef, stats: EscalationStats) {
  return {
    taskType: meter.taskType,
    handledBy: meter.handledBy,
    agentId: meter.agentId,
    taskStatuses: meter.taskStatuses,
    agentTasks: stats.agentTasks.toString(),
    escalated: stats.escalated.toString(),
    escalationRate: stats.agentTasks.gt(0) ? stats.escalated.div(stats.agentTasks).toString() : null,
  };
}

/** `planOverride` replaces the assigned plans (pricing simulation rates a candidate card through this same path). */
export async function rateCustomers(period: BillingPeriod, customerIds?: number[], planOverride?: Map<number, Plan>): Promise<Map<number, RatedCustomer>> {
  const org = await orgSettings();
  const plans = planOverride ?? (await plansFor(period, customerIds));
  const meters = new Map<number, MeterDef>();
  for (const plan of plans.values()) for (const c of plan.charges) meters.set(c.meter.id, c.meter);
  const costMeters = [...meters.values()].filter(isCostMeter);
  const [{ quantities, escalations }, costs, settings] = await Promise.all([
    // Money meters are measured by currency below; the others in one scan.
    meterQuantities([...meters.values()].filter((m) => !isCostMeter(m)), period, customerIds),
    costByCurrency(costMeters, period, org, customerIds),
    db.customer.findMany({ where: { id: { in: [...plans.keys()] } }, select: { id: true, billingCurrency: true, fxRule: true } }),
  ]);
  const settingsOf = new Map(settings.map((s) => [s.id, s]));
  const currencyOf = (customerId: number, plan: Plan) => settingsOf.get(customerId)?.billingCurrency?.trim() || plan.currency.trim();
  const codes = new Set([...costs.map((c) => c.currency), ...[...plans].flatMap(([id, p]) => [p.currency.trim(), currencyOf(id, p)])]);
  const rows = await periodRates([...codes], period);

  const result = new Map<number, RatedCustomer>();
  for (const [customerId, plan] of plans) {
    const currency = currencyOf(customerId, plan);
    const fx = new FxValuer(currency, (settingsOf.get(customerId)?.fxRule ?? "period_end") as FxRule, lastDayOf(period.period), rows);
    const usage = new Map(quantities.get(customerId) ?? []);
    // Money meters: each (currency, rate day) group summed exactly, then valued once into the invoice currency.
    const groups = new Map<string, { meterId: number; currency: string; day: string; amount: Dec }>();
    for (const g of costs) {
      if (g.customerId !== customerId) continue;
      const key = `${g.meterId}|${g.currency}|${fx.rateDay(g.day)}`;
      const prev = groups.get(key);
      groups.set(key, { meterId: g.meterId, currency: g.currency, day: fx.rateDay(g.day), amount: (prev?.amount ?? new Dec(0)).plus(g.amount) });
    }
    for (const m of costMeters) {
      const valued = [...groups.values()].filter((g) => g.meterId === m.id).map((g) => fx.value(g.amount, g.currency, g.day) ?? new Dec(0));
      usage.set(m.id, sum(valued));
    }
    // Prices of a rate card in another currency are valued at the period's last day (they are not per event).
    const priceCurrency = plan.currency.trim();
    const priceFactor = priceCurrency === currency ? new Dec(1) : fx.value(new Dec(1), priceCurrency, lastDayOf(period.period));
    const toInvoice = (amount: Dec) => (priceFactor ? amount.times(priceFactor) : new Dec(0));
    const charges = plan.charges.map((charge): RatedCharge => {
      const spec: ChargeSpec = { ...charge, model: charge.model as ChargeModel, tiers: charge.tiers as Tier[] | null };
      let rated = rateCharge(spec, usage.get(charge.meterId) ?? 0);
      // A money meter's quantity is already in the invoice currency and its prices are ratios (markup): no factor.
      const converted = priceCurrency !== currency && !isCostMeter(charge.meter);
      if (converted) {
        const limit = rated.limit && { ...rated.limit, modelAmount: toInvoice(rated.limit.modelAmount) };
        rated = { ...rated, amount: toInvoice(rated.amount), unitPrice: rated.unitPrice && toInvoice(rated.unitPrice), limit };
      }
      const stats = charge.meter.source === "tasks" ? (escalations.get(customerId)?.get(charge.meterId) ?? { agentTasks: new Dec(0), escalated: new Dec(0) }) : null;
      const terms =
        stats && charge.guaranteeMaxEscalationRate !== null && charge.guaranteeCreditPercent !== null
          ? { maxEscalationRate: charge.guaranteeMaxEscalationRate.toString(), creditPercent: charge.guaranteeCreditPercent.toString() }
          : null;
      return {
        ...(stats && terms ? { guarantee: { terms, ...stats } } : {}),
        meterId: charge.meterId,
        description: `${charge.meter.name} (${charge.meter.unit})`,
        rated,
        taxCategory: charge.taxCategory,
        usageRef: {
          meter: charge.meter.key,
          eventType: charge.meter.eventType,
          propertyFilter: charge.meter.propertyFilter,
          customerId,
          from: period.start.toISOString(),
          to: period.end.toISOString(),
          plan: `${plan.key}@v${plan.version}`,
          chargeId: charge.id,
          model: charge.model,
          ...(rated.credits ? { credits: rated.credits.toString() } : {}),
          ...(rated.billable.lt(rated.quantity) ? { freeUnits: rated.quantity.minus(rated.billable).toString() } : {}),
          ...(converted ? { priceCurrency, priceRate: priceFactor?.toFixed() ?? null } : {}),
          ...(rated.limit ? { limit: rated.limit.applied, modelAmount: rated.limit.modelAmount.toString() } : {}),
          ...(stats ? { outcome: outcomeRef(charge.meter, stats) } : {}),
        },
      };
    });
    const minimumSpend = plan.minimumSpend === null ? null : toInvoice(new Dec(plan.minimumSpend.toString()));
    result.set(customerId, { plan, currency, minimumSpend, charges, fx });
  }
  return result;
}
