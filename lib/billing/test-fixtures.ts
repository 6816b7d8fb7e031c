// Builders for billing integration tests and the benchmark: a small rate card and events inserted set-wise.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Issuer } from "./document";

export async function createCatalog() {
  const actions = await db.meter.create({ data: { key: "actions", name: "Agent actions", eventType: "agent.action", aggregation: "sum_quantity", unit: "action" } });
  const conversations = await db.meter.create({ data: { key: "conversations", name: "Conversations", eventType: "agent.conversation", aggregation: "count", unit: "conversation" } });
  const llmCost = await db.meter.create({ data: { key: "llm_cost", name: "LLM cost", eventType: "llm.call", aggregation: "sum_property", property: "cost", unit: "USD" } });
  const from = new Date("2020-01-01T00:00:00Z");
  const growth = await db.pricePlan.create({
    data: {
      key: "growth",
      name: "Growth",
      minimumSpend: "100.00",
      effectiveFrom: from,
      charges: {
        create: [
          { meterId: actions.id, model: "graduated", tiers: [{ upTo: 1000, unitPrice: "0.04", flatFee: "0" }, { upTo: null, unitPrice: "0.03", flatFee: "0" }] },
          { meterId: conversations.id, model: "volume", tiers: [{ upTo: 100, unitPrice: "0.35", flatFee: "0" }, { upTo: null, unitPrice: "0.25", flatFee: "0" }] },
          { meterId: llmCost.id, model: "markup", markupPercent: "20" },
        ],
      },
    },
    include: { charges: true },
  });
  const credits = await db.pricePlan.create({
    data: {
      key: "enterprise",
      name: "Enterprise",
      effectiveFrom: from,
      charges: { create: [{ meterId: actions.id, model: "credits", creditsPerUnit: "20", creditPackSize: "100000", creditPackPrice: "500.00" }] },
    },
  });
  return { meters: { actions, conversations, llmCost }, plans: { growth, credits }, from };
}

export async function createCustomer(key: string, planId: number, from = new Date("2020-01-01T00:00:00Z")) {
  return db.customer.create({ data: { key, name: key.toUpperCase(), plans: { create: { planId, effectiveFrom: from } } } });
}

export type EventSpec = { customerId: number; type: string; at: Date; quantity?: string; cost?: string; late?: boolean };

let seq = 0;
export async function insertEvents(events: EventSpec[]) {
  if (events.length === 0) return;
  const keys = events.map(() => `e${++seq}-${Math.random().toString(36).slice(2)}`);
  await db.$executeRaw(Prisma.sql`
    INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, customer_id, quantity, cost, late)
    SELECT 'test', k, t, ty, 1, c, q, co, l
    FROM unnest(${keys}::text[], ${events.map((e) => e.at)}::timestamptz[], ${events.map((e) => e.type)}::text[],
                ${events.map((e) => e.customerId)}::int[], ${events.map((e) => e.quantity ?? "1")}::numeric[],
                ${events.map((e) => e.cost ?? "0")}::numeric[], ${events.map((e) => e.late ?? false)}::boolean[])
         AS v(k, t, ty, c, q, co, l)`);
}

export const testIssuer = (name: string): Issuer => ({ name, address: null, taxId: null, paymentInstructions: null, paymentTermsDays: 30, logo: null });
