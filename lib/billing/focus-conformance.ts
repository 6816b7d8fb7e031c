// The normative FOCUS rules (1.2/1.3, ../shared/reference/focus-1.3.md and the specification's column texts) for
// every column the export writes, as a checker of parsed CSV rows: presence, nullability, allowed values, formats
// and cross-column rules. Used by the conformance tests on exports of demo data and generated edge cases.
import { Decimal } from "decimal.js";
import { isActiveCurrency } from "@/lib/currency/iso4217";

export type FocusRow = Record<string, string>;

const MANDATORY_BOTH = [
  "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd",
  "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodStart", "ChargePeriodEnd", "ContractedCost",
  "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit", "ServiceCategory", "ServiceName",
];
const MANDATORY: Record<"1.2" | "1.3", string[]> = {
  "1.2": [...MANDATORY_BOTH, "ProviderName", "PublisherName"],
  "1.3": [...MANDATORY_BOTH, "ServiceProviderName", "HostProviderName"],
};
const CHARGE_CATEGORIES = ["Usage", "Purchase", "Tax", "Credit", "Adjustment"];
const CHARGE_FREQUENCIES = ["One-Time", "Recurring", "Usage-Based"];
const SERVICE_CATEGORIES = [
  "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud",
  "Identity", "Integration", "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile",
  "Networking", "Security", "Storage", "Web", "Other",
];
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
// UnitFormat: "<plural-units>", "<quantity> <plural-units>", "<unit>-<time-units>", "<units>/<time-unit>".
const UNIT = /^(\d+ )?[A-Z][A-Za-z]*(-[A-Z][a-z]+)?(\/(\d+ )?[A-Z][a-z]+)?$/;
const COSTS = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost"];

const isNull = (value: string | undefined) => value === undefined || value === "";

/** Problems found, each naming the row (1-based, after the header) and column; [] when conformant. */
export function focusProblems(header: string[], rows: FocusRow[], version: "1.2" | "1.3"): string[] {
  const problems: string[] = [];
  for (const column of MANDATORY[version]) if (!header.includes(column)) problems.push(`header: ${column} missing (mandatory in ${version})`);
  const firstCustom = header.findIndex((c) => c.startsWith("x_"));
  if (firstCustom >= 0 && header.slice(firstCustom).some((c) => !c.startsWith("x_"))) problems.push("header: custom x_ columns must follow the specification's columns");
  if (version === "1.2" && header.some((c) => c.startsWith("Allocated"))) problems.push("header: Allocated* columns are 1.3 columns");

  const splits = new Map<string, Decimal>();
  rows.forEach((row, i) => {
    const at = (column: string, message: string) => problems.push(`row ${i + 1} ${column}: ${message}`);
    const present = (column: string) => !isNull(row[column]);
    for (const column of ["BillingAccountId", "BillingAccountName", "BillingCurrency", "ChargeCategory", "ChargeDescription", "ServiceCategory", "ServiceName", "InvoiceIssuerName", ...COSTS]) {
      if (!present(column)) at(column, "must not be null");
    }
    for (const column of version === "1.3" ? ["ServiceProviderName", "HostProviderName"] : ["ProviderName", "PublisherName"]) if (!present(column)) at(column, "must not be null");
    if (present("BillingCurrency") && !isActiveCurrency(row.BillingCurrency!)) at("BillingCurrency", `'${row.BillingCurrency}' is not an ISO 4217 currency`);
    for (const column of ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"]) {
      if (!DATETIME.test(row[column] ?? "")) at(column, `'${row[column]}' is not YYYY-MM-DDTHH:mm:ssZ`);
    }
    if (row.BillingPeriodStart! >= row.BillingPeriodEnd!) at("BillingPeriodEnd", "must be after BillingPeriodStart (end exclusive)");
    if (row.ChargePeriodStart! >= row.ChargePeriodEnd!) at("ChargePeriodEnd", "must be after ChargePeriodStart (end exclusive)");
    if (!CHARGE_CATEGORIES.includes(row.ChargeCategory!)) at("ChargeCategory", `'${row.ChargeCategory}' is not an allowed value`);
    if (present("ChargeClass") && row.ChargeClass !== "Correction") at("ChargeClass", "must be null or 'Correction'");
    if (present("ChargeFrequency") && !CHARGE_FREQUENCIES.includes(row.ChargeFrequency!)) at("ChargeFrequency", `'${row.ChargeFrequency}' is not an allowed value`);
    if (!SERVICE_CATEGORIES.includes(row.ServiceCategory!)) at("ServiceCategory", `'${row.ServiceCategory}' is not in the list`);
    for (const column of [...COSTS, "ConsumedQuantity", "PricingQuantity"]) if (present(column) && !DECIMAL.test(row[column]!)) at(column, `'${row[column]}' is not a decimal`);
    const usage = row.ChargeCategory === "Usage";
    const correction = row.ChargeClass === "Correction";
    if (!usage && present("ConsumedQuantity")) at("ConsumedQuantity", "must be null unless ChargeCategory is Usage");
    if (usage && !correction && !present("ConsumedQuantity")) at("ConsumedQuantity", "must not be null on a Usage row that is not a correction");
    if (present("ConsumedQuantity") !== present("ConsumedUnit")) at("ConsumedUnit", "must be null exactly when ConsumedQuantity is");
    if (row.ChargeCategory === "Tax" && present("PricingQuantity")) at("PricingQuantity", "must be null on Tax rows");
    if ((usage || row.ChargeCategory === "Purchase") && !correction && !present("PricingQuantity")) at("PricingQuantity", "must not be null on Usage/Purchase rows that are not corrections");
    if (present("PricingQuantity") !== present("PricingUnit")) at("PricingUnit", "must be null exactly when PricingQuantity is");
    for (const column of ["ConsumedUnit", "PricingUnit"]) if (present(column) && !UNIT.test(row[column]!)) at(column, `'${row[column]}' does not follow UnitFormat`);
    if (present("Tags")) {
      const tags = JSON.parse(row.Tags!) as unknown;
      if (typeof tags !== "object" || tags === null || Array.isArray(tags)) at("Tags", "must be a JSON object");
      else for (const [key, value] of Object.entries(tags)) if (!(typeof value === "string" && value !== "") && value !== true) at("Tags", `'${key}' must have a string value, or true when it has none`);
    }
    if (version === "1.3") {
      const allocated = ["AllocatedMethodId", "AllocatedResourceId", "AllocatedMethodDetails"].map(present);
      if (allocated.some((p) => p !== allocated[0])) at("AllocatedMethodId", "AllocatedMethodId, AllocatedResourceId and AllocatedMethodDetails are set together (on allocated rows only)");
      if (present("AllocatedMethodDetails")) {
        const details = JSON.parse(row.AllocatedMethodDetails!) as { Elements?: Record<string, unknown>[] };
        if (!Array.isArray(details.Elements) || !details.Elements.length) at("AllocatedMethodDetails", "must be an object with a non-empty Elements array");
        for (const key of Object.keys(details)) if (key !== "Elements" && !key.startsWith("x_")) at("AllocatedMethodDetails", `custom key '${key}' must start with x_`);
        // Ratios read from the JSON text, so the sum is checked exactly (no float rounding).
        const ratios = [...row.AllocatedMethodDetails!.matchAll(/"AllocatedRatio":(-?[\d.eE+-]+)/g)].map((m) => new Decimal(m[1]!));
        if (ratios.length !== (details.Elements?.length ?? 0)) at("AllocatedMethodDetails", "every element needs a numeric AllocatedRatio");
        for (const element of details.Elements ?? []) {
          for (const key of Object.keys(element)) if (key !== "AllocatedRatio" && !key.startsWith("x_")) at("AllocatedMethodDetails", `element key '${key}' must start with x_`);
        }
        for (const ratio of ratios) if (ratio.lt(0) || ratio.gt(1)) at("AllocatedMethodDetails", `AllocatedRatio ${ratio} is outside [0, 1]`);
        const split = `${row.ResourceId}|${row.AllocatedMethodId}|${row.ChargePeriodStart}`;
        splits.set(split, (splits.get(split) ?? new Decimal(0)).plus(Decimal.sum(0, ...ratios)));
      }
    }
  });
  for (const [split, total] of splits) if (!total.eq(1)) problems.push(`split ${split}: AllocatedRatio sums to ${total}, not 1`);
  return problems;
}
