// The organization's pricing configuration: aliases, negotiated discounts, the effective-price view, and the
// price-change log each change writes (which models and time range a re-cost would cover). All writes audited.
import "server-only";
import Decimal from "decimal.js";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import { callerLabel, type Caller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { loadPriceBook } from "./book";
import type { aliasCreate, discountCreate, pricesQuery } from "./schemas";

type Tx = Prisma.TransactionClient;

/** Records what a change can re-cost: events of `models` (or all) from `from` to `to` (null = open). */
export async function recordPriceChange(
  tx: Tx,
  caller: Caller | null,
  change: { kind: string; models: string[]; allModels?: boolean; provider?: string | null; from: Date; to: Date | null },
) {
  await tx.priceChange.create({
    data: {
      kind: change.kind,
      models: [...new Set(change.models)],
      allModels: change.allModels ?? false,
      provider: change.provider ?? null,
      rangeFrom: change.from,
      rangeTo: change.to,
      actor: caller ? callerLabel(caller) : "system",
    },
  });
}

const EPOCH = new Date(0);
const later = (a: Date | null, b: Date | null) => (a === null || b === null ? null : a > b ? a : b);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/** The range a price row (or its edit) covers; a price row affects its own model name and everything aliased to it. */
export async function recordPriceRowChange(tx: Tx, caller: Caller, kind: string, rows: { model: string; provider: string; effectiveFrom: Date; effectiveTo: Date | null }[]) {
  const aliases = await tx.modelAlias.findMany({ where: { model: { in: rows.map((r) => r.model), mode: "insensitive" } }, select: { alias: true } });
  await recordPriceChange(tx, caller, {
    kind,
    models: [...rows.map((r) => r.model), ...aliases.map((a) => a.alias)],
    provider: rows[0]?.provider ?? null,
    from: rows.map((r) => r.effectiveFrom).reduce(earlier),
    to: rows.map((r) => r.effectiveTo).reduce(later),
  });
}

// Aliases.
export async function listAliases() {
  return db.modelAlias.findMany({ orderBy: { alias: "asc" } });
}

export async function createAlias(caller: Caller, input: z.output<typeof aliasCreate>) {
  return db.$transaction(async (tx) => {
    const alias = input.alias.toLowerCase();
    if (await tx.modelAlias.findUnique({ where: { alias } })) throw new ConflictError(`The alias '${alias}' exists; delete it first`);
    const row = await tx.modelAlias.create({ data: { alias, model: input.model, provider: input.provider ?? null } });
    await audit(tx, { actor: caller, action: "model_alias.create", entity: "model_alias", entityId: row.id, after: row });
    // Events sent under the alias, at any time, may now price differently.
    await recordPriceChange(tx, caller, { kind: "alias.create", models: [alias], from: EPOCH, to: null });
    return row;
  });
}

export async function deleteAlias(caller: Caller, id: number) {
  return db.$transaction(async (tx) => {
    const before = await tx.modelAlias.findUnique({ where: { id } });
    if (!before) throw new NotFoundError("No such alias");
    await tx.modelAlias.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "model_alias.delete", entity: "model_alias", entityId: id, before });
    await recordPriceChange(tx, caller, { kind: "alias.delete", models: [before.alias], from: EPOCH, to: null });
    return { id };
  });
}

// Discounts.
export async function listDiscounts() {
  const rows = await db.priceDiscount.findMany({ orderBy: [{ provider: "asc" }, { model: "asc" }, { effectiveFrom: "desc" }] });
  return rows.map((d) => ({ ...d, percent: d.percent.toFixed() }));
}

export async function createDiscount(caller: Caller, input: z.output<typeof discountCreate>) {
  return db.$transaction(async (tx) => {
    const row = await tx.priceDiscount.create({
      data: {
        provider: input.provider,
        model: input.model ?? null,
        percent: input.percent,
        effectiveFrom: new Date(input.effectiveFrom),
        effectiveTo: input.effectiveTo ? new Date(input.effectiveTo) : null,
        note: input.note ?? null,
      },
    });
    await audit(tx, { actor: caller, action: "price_discount.create", entity: "price_discount", entityId: row.id, after: row });
    await recordDiscountChange(tx, caller, "discount.create", row);
    return { ...row, percent: row.percent.toFixed() };
  });
}

export async function deleteDiscount(caller: Caller, id: number) {
  return db.$transaction(async (tx) => {
    const before = await tx.priceDiscount.findUnique({ where: { id } });
    if (!before) throw new NotFoundError("No such discount");
    await tx.priceDiscount.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "price_discount.delete", entity: "price_discount", entityId: id, before });
    await recordDiscountChange(tx, caller, "discount.delete", before);
    return { id };
  });
}

async function recordDiscountChange(tx: Tx, caller: Caller, kind: string, d: { provider: string; model: string | null; effectiveFrom: Date; effectiveTo: Date | null }) {
  // A provider-wide discount touches every model of the provider: the re-cost re-resolves ids to find them.
  await recordPriceChange(tx, caller, { kind, models: d.model ? [d.model] : [], allModels: d.model === null, provider: d.provider, from: d.effectiveFrom, to: d.effectiveTo });
}

// Prices as they apply now: list price, the discount that applies, and the effective price per class.
export async function effectivePrices(q: z.output<typeof pricesQuery>) {
  const now = new Date();
  const search = q.search ? `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await db.$queryRaw<
    {
      id: number; source: string; provider: string; model: string; serviceTier: string; currency: string; input: string; output: string;
      cacheRead: string | null; cacheCreation: string | null; reasoning: string | null;
      inputAudio: string | null; outputAudio: string | null; tiers: unknown; effectiveFrom: Date; effectiveTo: Date | null;
      catalogVersion: string | null;
    }[]
  >(Prisma.sql`
    SELECT id, source, provider, model, service_tier AS "serviceTier", trim(currency) AS currency, input_per_mtok::text AS input,
      output_per_mtok::text AS output, cache_read_per_mtok::text AS "cacheRead", cache_creation_per_mtok::text AS "cacheCreation",
      reasoning_per_mtok::text AS reasoning, input_audio_per_mtok::text AS "inputAudio", output_audio_per_mtok::text AS "outputAudio", tiers, effective_from AS "effectiveFrom", effective_to AS "effectiveTo", catalog_version AS "catalogVersion"
    FROM model_prices
    WHERE effective_from <= ${now} AND (effective_to IS NULL OR effective_to > ${now})
      ${search ? Prisma.sql`AND (model ILIKE ${search} OR provider ILIKE ${search})` : Prisma.empty}
      ${q.provider ? Prisma.sql`AND provider = ${q.provider}` : Prisma.empty}
    ORDER BY source DESC, provider, model, service_tier
    LIMIT ${q.limit}`);
  const book = await loadPriceBook(pool);
  return {
    items: rows.map((r) => {
      const discount = r.source === "catalog" ? book.discountAt(r.provider, r.model, now.getTime()) : null;
      const factor = discount ? new Decimal(100).minus(discount.percent).div(100) : new Decimal(1);
      const eff = (v: string | null) => (v === null ? null : new Decimal(v).times(factor).toFixed());
      return {
        ...r,
        effectiveFrom: r.effectiveFrom.toISOString(),
        effectiveTo: r.effectiveTo?.toISOString() ?? null,
        discountPercent: discount ? new Decimal(discount.percent).toFixed() : null,
        effective: { input: eff(r.input)!, output: eff(r.output)!, cacheRead: eff(r.cacheRead), cacheCreation: eff(r.cacheCreation), reasoning: eff(r.reasoning),
          inputAudio: eff(r.inputAudio), outputAudio: eff(r.outputAudio) },
      };
    }),
  };
}
