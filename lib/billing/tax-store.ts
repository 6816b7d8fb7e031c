// Tax rates (admin-maintained, effective-dated, audited) and each customer's tax setup for a draft.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TaxSetup } from "./compose";
import type { taxRateCreate, taxRateUpdate } from "./tax-schemas";

type Client = Pick<Prisma.TransactionClient, "taxRate" | "customer" | "organization">;
type Row = Prisma.TaxRateGetPayload<object>;

const view = (r: Row) => ({
  ...r,
  country: r.country.trim(),
  ratePercent: r.ratePercent.toString(),
  effectiveFrom: r.effectiveFrom.toISOString(),
  effectiveTo: r.effectiveTo?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export async function listTaxRates() {
  return (await db.taxRate.findMany({ orderBy: [{ country: "asc" }, { region: "asc" }, { category: "asc" }, { effectiveFrom: "desc" }] })).map(view);
}

/** One rate per jurisdiction and category at any instant: an overlapping range is refused (409). */
async function checkNoOverlap(tx: Prisma.TransactionClient, r: { id?: number; country: string; region: string | null; category: string; effectiveFrom: Date; effectiveTo: Date | null }) {
  const clash = await tx.taxRate.findFirst({
    where: {
      id: r.id ? { not: r.id } : undefined,
      country: r.country,
      region: r.region,
      category: r.category,
      ...(r.effectiveTo ? { effectiveFrom: { lt: r.effectiveTo } } : {}),
      OR: [{ effectiveTo: null }, { effectiveTo: { gt: r.effectiveFrom } }],
    },
  });
  if (clash) {
    throw new ConflictError(
      `A ${clash.category} rate for ${clash.country.trim()}${clash.region ? `-${clash.region}` : ""} already applies from ${clash.effectiveFrom.toISOString()}${clash.effectiveTo ? ` to ${clash.effectiveTo.toISOString()}` : ""} (id ${clash.id}): end it first`,
    );
  }
}

export async function createTaxRate(caller: Caller, input: z.output<typeof taxRateCreate>) {
  return db.$transaction(async (tx) => {
    const data = { ...input, region: input.region ?? null, effectiveFrom: new Date(input.effectiveFrom), effectiveTo: input.effectiveTo ? new Date(input.effectiveTo) : null };
    // Serializes writers of one jurisdiction and category, so two overlapping inserts cannot both pass the check.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('agentledger:tax-rate'), hashtext(${`${data.country}|${data.region ?? ""}|${data.category}`}))`;
    await checkNoOverlap(tx, data);
    const created = await tx.taxRate.create({ data });
    await audit(tx, { actor: caller, action: "tax_rate.create", entity: "tax_rate", entityId: created.id, after: view(created) });
    return view(created);
  });
}

export async function updateTaxRate(caller: Caller, id: number, input: z.output<typeof taxRateUpdate>) {
  return db.$transaction(async (tx) => {
    const before = await tx.taxRate.findUnique({ where: { id } });
    if (!before) throw new NotFoundError("No such tax rate");
    const next = {
      country: input.country ?? before.country.trim(),
      region: input.region === undefined ? before.region : input.region,
      category: input.category ?? before.category,
      effectiveFrom: input.effectiveFrom ? new Date(input.effectiveFrom) : before.effectiveFrom,
      effectiveTo: input.effectiveTo === undefined ? before.effectiveTo : input.effectiveTo ? new Date(input.effectiveTo) : null,
    };
    if (next.effectiveTo && next.effectiveTo <= next.effectiveFrom) throw new ConflictError("The rate would end before it starts");
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('agentledger:tax-rate'), hashtext(${`${next.country}|${next.region ?? ""}|${next.category}`}))`;
    await checkNoOverlap(tx, { id, ...next });
    const after = await tx.taxRate.update({ where: { id }, data: { ...input, ...next } });
    await audit(tx, { actor: caller, action: "tax_rate.update", entity: "tax_rate", entityId: id, before: view(before), after: view(after) });
    return view(after);
  });
}

export async function deleteTaxRate(caller: Caller, id: number) {
  return db.$transaction(async (tx) => {
    const before = await tx.taxRate.findUnique({ where: { id } });
    if (!before) throw new NotFoundError("No such tax rate");
    await tx.taxRate.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "tax_rate.delete", entity: "tax_rate", entityId: id, before: view(before) });
    return view(before);
  });
}

/**
 * customerId → its tax setup at `at` (the tax point: the period's last instant, so a regenerated draft gets the same
 * tax). Customers without a tax country get no tax.
 */
export async function taxSetups(client: Client, customerIds: number[], at: Date): Promise<Map<number, TaxSetup>> {
  const [customers, org] = await Promise.all([
    client.customer.findMany({
      where: { id: { in: customerIds } },
      select: { id: true, taxCountry: true, taxRegion: true, taxExempt: true, taxExemptReason: true, reverseCharge: true },
    }),
    client.organization.findUniqueOrThrow({ where: { id: 1 }, select: { defaultTaxCategory: true } }),
  ]);
  const countries = [...new Set(customers.flatMap((c) => (c.taxCountry ? [c.taxCountry.trim()] : [])))];
  const rates = countries.length
    ? await client.taxRate.findMany({ where: { country: { in: countries }, effectiveFrom: { lte: at }, OR: [{ effectiveTo: null }, { effectiveTo: { gt: at } }] } })
    : [];
  return new Map(
    customers.map((c) => {
      const country = c.taxCountry?.trim() ?? null;
      return [
        c.id,
        {
          profile: country ? { country, region: c.taxRegion, exempt: c.taxExempt, exemptReason: c.taxExemptReason, reverseCharge: c.reverseCharge } : null,
          rates: rates.filter((r) => r.country.trim() === country),
          defaultCategory: org.defaultTaxCategory,
        },
      ];
    }),
  );
}

/** The instant taxes of a period are looked up at: its last millisecond. */
export const taxPoint = (periodEnd: Date) => new Date(periodEnd.getTime() - 1);
