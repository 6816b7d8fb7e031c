// Rates every customer with a plan for one period: plan lookup, one aggregation query, then the pure engine.
import "server-only";
import type { RatedCharge } from "./compose";
import { meterQuantities, type MeterDef } from "./usage";
import { plansFor, type Plan } from "./plans";
import type { BillingPeriod } from "./period";
import { rateCharge, type ChargeModel, type ChargeSpec, type Tier } from "./rating";

export type RatedCustomer = { plan: Plan; charges: RatedCharge[] };

export async function rateCustomers(period: BillingPeriod, customerIds?: number[]): Promise<Map<number, RatedCustomer>> {
  const plans = await plansFor(period, customerIds);
  const meters = new Map<number, MeterDef>();
  for (const plan of plans.values()) for (const c of plan.charges) meters.set(c.meter.id, c.meter);
  const quantities = await meterQuantities([...meters.values()], period, customerIds);
  const result = new Map<number, RatedCustomer>();
  for (const [customerId, plan] of plans) {
    const usage = quantities.get(customerId);
    const charges = plan.charges.map((charge): RatedCharge => {
      const spec: ChargeSpec = { ...charge, model: charge.model as ChargeModel, tiers: charge.tiers as Tier[] | null };
      const rated = rateCharge(spec, usage?.get(charge.meterId) ?? 0);
      return {
        meterId: charge.meterId,
        description: `${charge.meter.name} (${charge.meter.unit})`,
        rated,
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
        },
      };
    });
    result.set(customerId, { plan, charges });
  }
  return result;
}
