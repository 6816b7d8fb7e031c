// Rate cards (price plan versions) and their charges: list, create a version, edit a version not used yet. Writes
// audited. Finalized invoices never change: their lines are stored, a version that priced one is frozen (edits
// answer 409: publish a new version), and a new version may only start after every finalized period of its card
// (plansFor prices a period by the version in effect at its start, so it cannot re-price one, late usage included).
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { invoiceNumber } from "./compose";
import { chargeInput, chargeInputOf, type chargeUpdate, type ChargeView, type rateCardCreate, type rateCardUpdate, type RateCardView } from "./rate-card-schemas";
import { ChargeConfigError, rateCharge, type ChargeModel, type Tier } from "./rating";

type Tx = Prisma.TransactionClient;
const withCharges = { charges: { include: { meter: true }, orderBy: { id: "asc" } } } as const;
type Row = Prisma.PricePlanGetPayload<{ include: typeof withCharges }>;
type ChargeRow = Row["charges"][number];

const text = (d: Prisma.Decimal | null) => (d === null ? null : d.toString());
const label = (p: { key: string; version: number }) => `${p.key}@v${p.version}`;

function chargeView(c: ChargeRow): ChargeView {
  return {
    id: c.id,
    meter: c.meter.key,
    meterName: c.meter.name,
    meterSource: c.meter.source,
    model: c.model as ChargeView["model"],
    unitPrice: text(c.unitPrice),
    tiers: (c.tiers as ChargeView["tiers"]) ?? null,
    packageSize: text(c.packageSize),
    markupPercent: text(c.markupPercent),
    creditsPerUnit: text(c.creditsPerUnit),
    creditPackSize: text(c.creditPackSize),
    creditPackPrice: text(c.creditPackPrice),
    freeUnits: text(c.freeUnits),
    minimumAmount: text(c.minimumAmount),
    maximumAmount: text(c.maximumAmount),
    guaranteeMaxEscalationRate: text(c.guaranteeMaxEscalationRate),
    guaranteeCreditPercent: text(c.guaranteeCreditPercent),
    taxCategory: c.taxCategory as ChargeView["taxCategory"],
  };
}

function view(p: Row, lockedBy: string[]): RateCardView {
  return {
    id: p.id,
    key: p.key,
    version: p.version,
    name: p.name,
    currency: p.currency.trim(),
    minimumSpend: text(p.minimumSpend),
    pricesIncludeTax: p.pricesIncludeTax,
    effectiveFrom: p.effectiveFrom.toISOString(),
    effectiveTo: p.effectiveTo?.toISOString() ?? null,
    lockedBy,
    charges: p.charges.map(chargeView),
  };
}

type Usage = { plan: string; numbers: number[]; lastStart: Date };

/** Per plan version (key@vN), the finalized invoices it priced (first 10 numbers) and their latest period start. */
async function finalizedUsage(tx: Tx | typeof db, key?: string): Promise<Map<string, Usage>> {
  const rows = await tx.$queryRaw<Usage[]>(Prisma.sql`
    SELECT l.usage_ref->>'plan' AS "plan", (array_agg(DISTINCT i.number ORDER BY i.number))[1:10] AS "numbers", max(i.period_start) AS "lastStart"
    FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
    WHERE i.status = 'finalized' AND l.usage_ref->>'plan' IS NOT NULL
      ${key ? Prisma.sql`AND l.usage_ref->>'plan' LIKE ${`${key.replace(/[\\%_]/g, "\\$&")}@v%`}` : Prisma.empty}
    GROUP BY 1`);
  return new Map(rows.map((r) => [r.plan, r]));
}

const lockedBy = (usage: Map<string, Usage>, p: { key: string; version: number }) => (usage.get(label(p))?.numbers ?? []).map((n) => invoiceNumber(n)!);

export async function listRateCards(caller: Caller): Promise<RateCardView[]> {
  assertOrganizationWide(caller, "Rate cards");
  const [plans, usage] = await Promise.all([db.pricePlan.findMany({ include: withCharges, orderBy: [{ key: "asc" }, { version: "asc" }] }), finalizedUsage(db)]);
  return plans.map((p) => view(p, lockedBy(usage, p)));
}

/** A new version may not start at or before the start of a period its card already finalized. */
async function checkEffectiveFrom(tx: Tx, key: string, effectiveFrom: Date) {
  const usage = [...(await finalizedUsage(tx, key)).values()].filter((u) => u.plan.slice(0, u.plan.lastIndexOf("@v")) === key);
  const last = usage.reduce<Usage | null>((a, u) => (!a || u.lastStart > a.lastStart ? u : a), null);
  if (last && effectiveFrom <= last.lastStart) {
    throw new BadRequestError("Invalid request body", [
      { path: "effectiveFrom", message: `Must be after ${last.lastStart.toISOString()}, the start of a period already finalized under ${last.plan} (${last.numbers.map((n) => invoiceNumber(n)).join(", ")}): a rate card change never re-prices a finalized invoice` },
    ]);
  }
}

async function meterIds(tx: Tx, charges: { meter: string }[]) {
  const meters = await tx.meter.findMany({ where: { key: { in: charges.map((c) => c.meter) } }, select: { id: true, key: true, source: true } });
  const byKey = new Map(meters.map((m) => [m.key, m]));
  const errors = charges.flatMap((c, i) => (byKey.has(c.meter) ? [] : [{ path: `charges.${i}.meter`, message: `No meter with key ${c.meter}` }]));
  if (errors.length) throw new BadRequestError("Invalid request body", errors);
  return byKey;
}

type StoredCharge = Omit<z.output<typeof chargeInput>, "meter">;

/** The guarantee reads task escalations, so only a meter over tasks has one; the engine must be able to rate it. */
function checkCharge(c: StoredCharge, meterSource: string, at: string) {
  if (c.guaranteeMaxEscalationRate != null && meterSource !== "tasks") {
    throw new BadRequestError("Invalid request body", [{ path: `${at}guaranteeMaxEscalationRate`, message: "A success-rate guarantee needs a meter over tasks (outcomes)" }]);
  }
  try {
    rateCharge({ ...c, model: c.model as ChargeModel, tiers: (c.tiers ?? null) as Tier[] | null }, 1);
  } catch (error) {
    if (error instanceof ChargeConfigError) throw new BadRequestError("Invalid request body", [{ path: at.replace(/\.$/, "") || "model", message: error.message }]);
    throw error;
  }
}

/** The stored form: every field present (null when not given), tiers as JSON or SQL NULL. */
function chargeData(c: StoredCharge) {
  return {
    model: c.model,
    unitPrice: c.unitPrice ?? null,
    tiers: c.tiers ?? Prisma.DbNull,
    packageSize: c.packageSize ?? null,
    markupPercent: c.markupPercent ?? null,
    creditsPerUnit: c.creditsPerUnit ?? null,
    creditPackSize: c.creditPackSize ?? null,
    creditPackPrice: c.creditPackPrice ?? null,
    freeUnits: c.freeUnits ?? null,
    minimumAmount: c.minimumAmount ?? null,
    maximumAmount: c.maximumAmount ?? null,
    guaranteeMaxEscalationRate: c.guaranteeMaxEscalationRate ?? null,
    guaranteeCreditPercent: c.guaranteeCreditPercent ?? null,
    taxCategory: c.taxCategory ?? null,
  };
}

/** Creates the next version of `key` (version 1 for a new key), with its charges. Serialized per key. */
export async function createRateCard(caller: Caller, input: z.output<typeof rateCardCreate>): Promise<RateCardView> {
  assertOrganizationWide(caller, "Rate cards");
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rate-card:${input.key}`}))`;
    const effectiveFrom = new Date(input.effectiveFrom);
    await checkEffectiveFrom(tx, input.key, effectiveFrom);
    const meters = await meterIds(tx, input.charges);
    input.charges.forEach((c, i) => checkCharge(c, meters.get(c.meter)!.source, `charges.${i}.`));
    const last = await tx.pricePlan.findFirst({ where: { key: input.key }, orderBy: { version: "desc" }, select: { version: true } });
    const plan = await tx.pricePlan.create({
      data: {
        key: input.key,
        version: (last?.version ?? 0) + 1,
        name: input.name,
        currency: input.currency,
        minimumSpend: input.minimumSpend ?? null,
        pricesIncludeTax: input.pricesIncludeTax,
        effectiveFrom,
        charges: { create: input.charges.map(({ meter, ...c }) => ({ ...chargeData(c), meterId: meters.get(meter)!.id })) },
      },
      include: withCharges,
    });
    const created = view(plan, []);
    await audit(tx, { actor: caller, action: "rate_card.create", entity: "price_plan", entityId: plan.id, after: created });
    return created;
  });
}

/** Locks the version and refuses it once it priced a finalized invoice. */
async function editable(tx: Tx, id: number): Promise<Row> {
  await tx.$queryRaw`SELECT id FROM price_plans WHERE id = ${id} FOR UPDATE`;
  const plan = await tx.pricePlan.findUnique({ where: { id }, include: withCharges });
  if (!plan) throw new NotFoundError(`No rate card version ${id}`);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rate-card:${plan.key}`}))`;
  const used = lockedBy(await finalizedUsage(tx, plan.key), plan);
  if (used.length) throw new ConflictError(`${label(plan)} priced finalized invoices (${used.join(", ")}) and cannot change: create a new version`);
  return plan;
}

export async function updateRateCard(caller: Caller, id: number, input: z.output<typeof rateCardUpdate>): Promise<RateCardView> {
  assertOrganizationWide(caller, "Rate cards");
  return db.$transaction(async (tx) => {
    const before = await editable(tx, id);
    if (input.effectiveFrom) await checkEffectiveFrom(tx, before.key, new Date(input.effectiveFrom));
    const after = await tx.pricePlan.update({
      where: { id },
      data: { ...input, ...(input.effectiveFrom ? { effectiveFrom: new Date(input.effectiveFrom) } : {}) },
      include: withCharges,
    });
    await audit(tx, { actor: caller, action: "rate_card.update", entity: "price_plan", entityId: id, before: view(before, []), after: view(after, []) });
    return view(after, []);
  });
}

/** Edits one charge of a version not used yet; checked merged with the stored charge, as it will be stored. */
export async function updateCharge(caller: Caller, planId: number, chargeId: number, input: z.output<typeof chargeUpdate>): Promise<RateCardView> {
  assertOrganizationWide(caller, "Rate cards");
  return db.$transaction(async (tx) => {
    const plan = await editable(tx, planId);
    const charge = plan.charges.find((c) => c.id === chargeId);
    if (!charge) throw new NotFoundError(`No charge ${chargeId} on ${label(plan)}`);
    const before = chargeView(charge);
    const merged = chargeInput.safeParse({ ...chargeInputOf(before), ...input });
    if (!merged.success) throw new BadRequestError("Invalid request body", merged.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
    const next = merged.data;
    checkCharge(next, before.meterSource, "");
    await tx.charge.update({ where: { id: chargeId }, data: chargeData(next) });
    const after = await tx.pricePlan.findUniqueOrThrow({ where: { id: planId }, include: withCharges });
    await audit(tx, { actor: caller, action: "rate_card.charge_update", entity: "price_plan", entityId: planId, before, after: chargeView(after.charges.find((c) => c.id === chargeId)!) });
    return view(after, []);
  });
}
