// Pure tax computation: each invoice line is taxed on its own, the tax rounded once, half-even, to the currency's
// minor unit; the tax lines are sums of those rounded amounts, so subtotal + adjustments + tax = total is a plain sum.
// Rules in lib/billing/README.md ("Taxes").
import { Dec, dec, roundMoney, sum, type DecInput } from "./money";

export const taxCategories = ["standard", "reduced", "zero", "digital_services", "exempt"] as const;
export type TaxCategory = (typeof taxCategories)[number];

export type TaxProfile = {
  /** ISO 3166-1 alpha-2; null = no tax jurisdiction set, so no tax is computed. */
  country: string | null;
  region: string | null;
  exempt: boolean;
  exemptReason: string | null;
  reverseCharge: boolean;
};

export type TaxRateRow = { id: number; country: string; region: string | null; category: string; name: string; ratePercent: DecInput; source: string };

export type TaxableLine = {
  kind: string;
  /** The line's amount as priced: gross when `inclusive`, net otherwise (already rounded). */
  amount: DecInput;
  inclusive: boolean;
  /** null = the organization's default category. */
  taxCategory: string | null;
};

export type TaxLine = {
  kind: "tax";
  description: string;
  /** Taxable base (sum of the net amounts taxed at this rate). */
  quantity: Dec;
  /** Rate in percent. */
  unitPrice: Dec;
  amount: Dec;
  reason: string | null;
  usageRef: Record<string, unknown>;
};

export const REVERSE_CHARGE_NOTE = "Reverse charge: the customer accounts for the tax (VAT Directive 2006/112/EC, Article 196). No tax is charged on this invoice.";
export const exemptNote = (reason: string | null) => `Exempt from tax${reason ? `: ${reason}` : ""}. No tax is charged on this invoice.`;

/** The rate of one category in the profile's jurisdiction: the region's own rate wins over the country's. */
function findRate(rates: TaxRateRow[], profile: TaxProfile, category: string): TaxRateRow | null {
  const here = rates.filter((r) => r.country.trim() === profile.country && r.category === category);
  return here.find((r) => r.region !== null && r.region === profile.region) ?? here.find((r) => r.region === null) ?? null;
}

function percentText(p: Dec): string {
  return `${p.toDecimalPlaces(4).toString()}%`;
}

/**
 * Net amount of each line (inclusive lines have their tax taken out) and the invoice's tax lines, one per rate used.
 * A category with no rate in the jurisdiction gives a tax line flagged `missing` (finalization refuses it).
 */
export function computeTax(lines: TaxableLine[], profile: TaxProfile | null, rates: TaxRateRow[], defaultCategory: string, currency: string) {
  const groups = new Map<string, { line: Omit<TaxLine, "quantity" | "amount">; bases: Dec[]; taxes: Dec[] }>();
  const net: Dec[] = [];
  for (const l of lines) {
    const amount = dec(l.amount);
    if (!profile?.country) {
      net.push(amount);
      continue;
    }
    const category = l.taxCategory ?? defaultCategory;
    let key: string;
    let head: Omit<TaxLine, "quantity" | "amount">;
    let percent = new Dec(0);
    if (profile.exempt) {
      key = "exempt";
      head = { kind: "tax", description: "Tax exempt (0%)", unitPrice: percent, reason: exemptNote(profile.exemptReason), usageRef: { treatment: "exempt", country: profile.country } };
    } else if (profile.reverseCharge) {
      key = "reverse_charge";
      head = { kind: "tax", description: "Reverse charge (0%)", unitPrice: percent, reason: REVERSE_CHARGE_NOTE, usageRef: { treatment: "reverse_charge", country: profile.country } };
    } else if (category === "exempt") {
      key = "category:exempt";
      head = { kind: "tax", description: "Exempt supplies (0%)", unitPrice: percent, reason: null, usageRef: { treatment: "exempt_category", country: profile.country, category } };
    } else {
      const rate = findRate(rates, profile, category);
      if (!rate) {
        key = `missing:${category}`;
        const where = profile.region ? `${profile.country}-${profile.region}` : profile.country;
        head = { kind: "tax", description: `No tax rate for ${category} in ${where}`, unitPrice: percent, reason: null, usageRef: { missing: true, country: profile.country, region: profile.region, category } };
      } else {
        percent = dec(rate.ratePercent);
        key = `rate:${rate.id}`;
        const where = rate.region ? `${rate.country.trim()}-${rate.region}` : rate.country.trim();
        head = {
          kind: "tax",
          description: `${rate.name} ${percentText(percent)} (${category.replace("_", " ")}, ${where})`,
          unitPrice: percent,
          reason: null,
          usageRef: { taxRateId: rate.id, country: rate.country.trim(), region: rate.region, category, ratePercent: percent.toString(), source: rate.source },
        };
      }
    }
    const tax = l.inclusive ? roundMoney(amount.times(percent).div(percent.plus(100)), currency) : roundMoney(amount.times(percent).div(100), currency);
    const lineNet = l.inclusive ? amount.minus(tax) : amount;
    net.push(lineNet);
    const group = groups.get(key) ?? { line: head, bases: [], taxes: [] };
    group.bases.push(lineNet);
    group.taxes.push(tax);
    groups.set(key, group);
  }
  const taxLines: TaxLine[] = [...groups.values()].map((g) => ({ ...g.line, quantity: sum(g.bases), amount: sum(g.taxes) }));
  return { net, taxLines };
}

/** "No tax rate for …" lines block finalization, as a missing FX rate does. */
export function missingTaxRates(lines: { kind: string; description: string; usageRef: unknown }[]): string[] {
  return lines.filter((l) => l.kind === "tax" && (l.usageRef as { missing?: boolean } | null)?.missing).map((l) => l.description);
}
