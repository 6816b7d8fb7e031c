// /api/v1/pricing/simulations contract: request and response schemas (source of the OpenAPI document).
import { z } from "zod";
import { decimalInput } from "@/lib/decimal-input";
import { lineKinds } from "./compose";
import { periodString } from "./period";
import { chargePriceFields } from "./rate-card-schemas";
import { chargeModels } from "./rating";

const amount = decimalInput({ precision: 18, scale: 2 });

const chargeChange = z
  .object({
    meter: z.string().trim().min(1).max(200).meta({ description: "Meter key. Changes the plan's charge on this meter, or adds one (then `model` and its fields are required)." }),
    remove: z.literal(true).optional().meta({ description: "Drop the plan's charge on this meter" }),
    model: z.enum(chargeModels).optional(),
    ...chargePriceFields,
  })
  .strict();

export const planChanges = z
  .object({
    minimumSpend: amount.nullable().optional().meta({ description: "New minimum spend per period; null removes it" }),
    charges: z.array(chargeChange).max(100).optional(),
  })
  .strict()
  .meta({ id: "PlanChanges", description: "Changes applied to each customer's current plan (fields left out keep the plan's values)" });

export type PlanChanges = z.infer<typeof planChanges>;

export const simulationRequest = z
  .object({
    period: periodString.meta({ description: "A month (YYYY-MM, organization time zone) whose actual usage is re-rated" }),
    customers: z.array(z.string().trim().min(1).max(200)).min(1).max(1000).optional().meta({ description: "Customer keys; left out = every customer with a plan in the period" }),
    candidate: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("plan"), planId: z.number().int().positive().meta({ description: "A price plan version (id) that prices every selected customer" }) }).strict(),
      z.object({ kind: z.literal("changes"), changes: planChanges }).strict(),
    ]),
  })
  .strict();

export type SimulationRequest = z.infer<typeof simulationRequest>;

export const simulationQuery = z
  .object({
    format: z.enum(["json", "csv"]).default("json"),
    detail: z.enum(["customers", "lines"]).default("customers").meta({ description: "CSV rows: one per customer, or one per line of each customer (current vs simulated amount)" }),
  })
  .strict();

const money = z.string().regex(/^-?\d+(\.\d+)?$/);
const customer = z.object({ id: z.number().int(), key: z.string(), name: z.string() }).strict();

const simulatedLine = z
  .object({
    kind: z.enum(lineKinds),
    meter: z.string().nullable(),
    description: z.string(),
    quantity: z.string(),
    current: money.nullable().meta({ description: "Amount on the current side; null = no such line" }),
    simulated: money.nullable(),
    delta: money,
  })
  .strict();

const customerResult = z
  .object({
    customer,
    currency: z.string().meta({ description: "Invoice currency of the simulated side" }),
    current: z
      .object({
        source: z.enum(["invoice", "current_plan"]).meta({ description: "invoice: the period's actual (draft or finalized) invoice; current_plan: no invoice yet, so the customer's plan rated now" }),
        currency: z.string(),
        total: money,
        plan: z.string().nullable().meta({ description: "key@vN of the plan in effect, null without one" }),
        invoice: z.object({ id: z.number().int(), number: z.string().nullable(), status: z.enum(["draft", "finalized"]) }).strict().nullable(),
      })
      .strict(),
    simulated: z.object({ total: money, plan: z.string() }).strict(),
    delta: money.nullable().meta({ description: "simulated − current; null when the two are in different currencies" }),
    deltaPercent: z.string().nullable().meta({ description: "delta ÷ current × 100, 2 decimals; null when current is 0 or currencies differ" }),
    lines: z.array(simulatedLine),
  })
  .strict();

export const simulationResponse = z
  .object({
    period: z.string(),
    candidate: z.string().meta({ description: "What was simulated, e.g. 'growth@v2' or 'changes to each current plan'" }),
    customers: z.array(customerResult).meta({ description: "Biggest movers first (absolute delta, descending)" }),
    totals: z.array(z.object({ currency: z.string(), current: money, simulated: money, delta: money }).strict()).meta({ description: "Sums per currency over customers whose two sides share it" }),
  })
  .strict()
  .meta({ id: "PricingSimulation" });

export type SimulationResult = z.infer<typeof simulationResponse>;
export type SimulatedCustomer = z.infer<typeof customerResult>;
