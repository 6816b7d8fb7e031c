// A PriceBook straight from catalog data (no database), for unit tests and scripts.
import { catalogRows, type CatalogProviderData } from "./catalog";
import { PriceBook, type AliasInput, type DiscountInput, type PriceRowInput } from "./match";

export function bookFromCatalog(
  data: CatalogProviderData[],
  extra: { manual?: Omit<PriceRowInput, "id" | "source">[]; aliases?: AliasInput[]; discounts?: DiscountInput[] } = {},
): { book: PriceBook; rows: PriceRowInput[] } {
  const { rows, providers } = catalogRows(data);
  const all: PriceRowInput[] = rows.map((r, i) => ({
    id: i + 1,
    source: "catalog",
    serviceTier: "default",
    currency: "USD",
    ...r,
    effectiveFrom: Date.parse(r.effectiveFrom),
    effectiveTo: r.effectiveTo === null ? null : Date.parse(r.effectiveTo),
  }));
  (extra.manual ?? []).forEach((m, i) => all.push({ ...m, id: rows.length + i + 1, source: "manual" }));
  return { book: new PriceBook({ rows: all, aliases: extra.aliases ?? [], discounts: extra.discounts ?? [], providers }), rows: all };
}
