// Cost export in the FinOps FOCUS layout (Cost and Usage dataset; 1.3 by default, 1.2 on request): one row per
// department × agent for the month, taken from the department chargeback (lib/allocation), so shared agents' split
// cost appears as allocated rows and the rows sum to the month's AI spend. Costs are what the organization paid
// (reported or computed from model prices), so Billed = Effective = List = Contracted. Rules: README.md here,
// "FOCUS export"; the conformance test encodes them (focus-conformance.ts).
import "server-only";
import { createHash } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { apportion } from "@/lib/allocation/apportion";
import type { AllocationLine } from "@/lib/allocation/allocate";
import { Decimal } from "@/lib/allocation/decimal";
import { loadPeriodAllocation } from "@/lib/allocation/load";
import { departmentScope } from "@/lib/analytics/scope";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { orgSettings } from "@/lib/org";
import { toCsv, type CsvValue } from "@/lib/csv";
import { creditNoteNumber } from "./credit-note-plan";
import { creditNotesIssuedBetween } from "./credit-notes";
import { invoiceNumber } from "./compose";
import { Dec, dec, moneyText } from "./money";
import { billingPeriod } from "./period";

export const FOCUS_VERSIONS = ["1.3", "1.2"] as const;
export type FocusVersion = (typeof FOCUS_VERSIONS)[number];

type ColumnType = "STRING" | "DATETIME" | "DECIMAL" | "JSON";
type Column = { name: string; type: ColumnType; versions: readonly FocusVersion[] };
const both = FOCUS_VERSIONS;
const col = (name: string, type: ColumnType, versions: readonly FocusVersion[] = both): Column => ({ name, type, versions });

/** The specification's columns first, custom `x_` columns after (FOCUS column-handling rule). */
const COLUMNS: readonly Column[] = [
  col("BillingAccountId", "STRING"), col("BillingAccountName", "STRING"), col("BillingCurrency", "STRING"),
  col("BillingPeriodStart", "DATETIME"), col("BillingPeriodEnd", "DATETIME"),
  col("ChargePeriodStart", "DATETIME"), col("ChargePeriodEnd", "DATETIME"),
  col("ChargeCategory", "STRING"), col("ChargeClass", "STRING"), col("ChargeDescription", "STRING"), col("ChargeFrequency", "STRING"),
  col("BilledCost", "DECIMAL"), col("EffectiveCost", "DECIMAL"), col("ListCost", "DECIMAL"), col("ContractedCost", "DECIMAL"),
  col("ConsumedQuantity", "DECIMAL"), col("ConsumedUnit", "STRING"), col("PricingQuantity", "DECIMAL"), col("PricingUnit", "STRING"),
  col("ServiceCategory", "STRING"), col("ServiceName", "STRING"),
  col("ServiceProviderName", "STRING", ["1.3"]), col("HostProviderName", "STRING", ["1.3"]),
  // Deprecated in 1.3 (replaced by ServiceProviderName / HostProviderName): only in the 1.2 export.
  col("ProviderName", "STRING", ["1.2"]), col("PublisherName", "STRING", ["1.2"]),
  col("InvoiceIssuerName", "STRING"),
  col("ResourceId", "STRING"), col("ResourceName", "STRING"), col("ResourceType", "STRING"), col("Tags", "JSON"),
  col("AllocatedMethodId", "STRING", ["1.3"]), col("AllocatedMethodDetails", "JSON", ["1.3"]),
  col("AllocatedResourceId", "STRING", ["1.3"]), col("AllocatedResourceName", "STRING", ["1.3"]),
  col("x_CostCenterCode", "STRING"), col("x_CostCenterName", "STRING"), col("x_AllocationKind", "STRING"),
];

export function focusColumns(version: FocusVersion): string[] {
  return COLUMNS.filter((c) => c.versions.includes(version)).map((c) => c.name);
}

/** FOCUS date/time format: UTC, `YYYY-MM-DDTHH:mm:ssZ`, no fractional seconds. */
export function focusDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** FOCUS dataset metadata (DataGenerator, Schema with its column definitions), served beside the export. */
export function focusMetadata(version: FocusVersion) {
  const columns = COLUMNS.filter((c) => c.versions.includes(version));
  // Stable per column list: the same schema always has the same id (a name-based UUID layout of a SHA-256).
  const hash = createHash("sha256").update(`agentledger-focus-${version}:${columns.map((c) => `${c.name}:${c.type}`).join(",")}`).digest("hex");
  const schemaId = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
  return {
    DataGenerator: { DataGenerator: "AgentLedger" },
    Schema: {
      SchemaId: schemaId,
      FocusVersion: version,
      CreationDate: "2026-12-02T00:00:00Z",
      ColumnDefinition: columns.map((c) => ({
        ColumnName: c.name,
        DataType: c.type,
        ...(c.type === "DECIMAL" ? { NumericPrecision: 28, NumberScale: 10 } : {}),
        ...(c.type === "STRING" ? { StringEncoding: "UTF-8" } : {}),
      })),
    },
  };
}

/**
 * AllocatedRatio of each allocated line, keyed by line: the rule's shares as fractions rounded to 10 decimals so that
 * one split (an agent under one rule) sums to exactly 1 (largest remainder, ties by department code).
 */
function splitRatios(lines: { departmentCode: string; line: AllocationLine }[]): Map<AllocationLine, Decimal> {
  const splits = new Map<string, { departmentCode: string; line: AllocationLine }[]>();
  for (const entry of lines) {
    if (entry.line.kind !== "allocated" || !entry.line.sharePercent) continue;
    const key = `${entry.line.agentId}:${entry.line.ruleId}`;
    splits.set(key, [...(splits.get(key) ?? []), entry]);
  }
  const ratios = new Map<AllocationLine, Decimal>();
  const scale = new Decimal(10).pow(8); // apportion works in hundredths: 10^-10 of a ratio
  for (const split of splits.values()) {
    const exact = split.map((e) => ({ tieKey: e.departmentCode, exact: e.line.sharePercent!.div(100).times(scale) }));
    const rounded = apportion(exact, scale);
    split.forEach((e, i) => ratios.set(e.line, rounded[i]!.div(scale)));
  }
  return ratios;
}

type Tokens = { tokens: bigint; events: bigint };

/** Tokens (all classes) and events per agent × department in the period, from the daily rollup. */
async function tokenUsage(from: string, to: string): Promise<Map<string, Tokens>> {
  const rows = await db.$queryRaw<{ agentId: number; departmentId: number; tokens: bigint; events: bigint }[]>(Prisma.sql`
    SELECT agent_id AS "agentId", department_id AS "departmentId",
           sum(input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens + reasoning_tokens)::bigint AS tokens,
           sum(events)::bigint AS events
    FROM usage_rollup_daily_core WHERE day BETWEEN ${from}::date AND ${to}::date GROUP BY 1, 2`);
  return new Map(rows.map((r) => [`${r.agentId}:${r.departmentId}`, { tokens: r.tokens, events: r.events }]));
}

/** A department-scoped caller gets only their departments' rows (no unallocated cost). */
export async function focusCsv(caller: Caller, period: string, version: FocusVersion = "1.3"): Promise<string> {
  const org = await orgSettings();
  const { start, end } = billingPeriod(period, org.timeZone);
  const monthEnd = new Date(end.getTime() - 1).toISOString().slice(0, 10);
  const [allocation, agents, usage] = await Promise.all([
    loadPeriodAllocation(period),
    db.agent.findMany({ select: { id: true, key: true, name: true, platform: true, tags: true } }),
    tokenUsage(`${period}-01`, monthEnd),
  ]);
  const agentById = new Map(agents.map((a) => [a.id, a]));
  const periodCols = [focusDateTime(start), focusDateTime(end)];
  const all = [
    ...[...allocation.result.departments.values()].flatMap((d) => d.lines.map((line) => ({ departmentId: d.departmentId as number | null, line }))),
    ...allocation.result.unallocatedLines.map((line) => ({ departmentId: null as number | null, line })),
  ].map((e) => ({ ...e, departmentCode: e.departmentId === null ? "" : (allocation.departments.get(e.departmentId)?.code ?? "") }));
  const ratios = splitRatios(all);
  const agentTotals = new Map<number, Tokens>();
  for (const [key, t] of usage) {
    const agentId = Number(key.split(":")[0]);
    const sum = agentTotals.get(agentId) ?? { tokens: 0n, events: 0n };
    agentTotals.set(agentId, { tokens: sum.tokens + t.tokens, events: sum.events + t.events });
  }
  const scope = departmentScope(caller);
  const columns = focusColumns(version);
  const rows = all
    .filter(({ departmentId }) => (scope ? departmentId !== null && scope.includes(departmentId) : true))
    .filter(({ line }) => !line.amount.isZero() || !line.events.isZero())
    .map(({ departmentId, line }) => {
      const agent = agentById.get(line.agentId);
      const department = departmentId === null ? undefined : allocation.departments.get(departmentId);
      const rule = line.ruleId === null ? undefined : allocation.rules.get(line.ruleId);
      const allocated = line.kind === "allocated";
      // A change to a closed month, carried into this one (lib/allocation/close.ts), corrects an earlier billing period.
      const correction = line.kind === "adjustment";
      const cost = line.amount.toFixed(2);
      // Consumption: the tokens of the line's own usage (a department's usage of the agent; for lines without a
      // department, the agent's tokens in proportion to the line's events) when the agent used tokens, else its requests.
      const own = departmentId === null ? undefined : usage.get(`${line.agentId}:${departmentId}`);
      const total = agentTotals.get(line.agentId);
      const tokens = own ? new Dec(own.tokens.toString()) : total && total.events > 0n ? new Dec(total.tokens.toString()).times(line.events.toString()).div(total.events.toString()).toDecimalPlaces(0) : new Dec(0);
      const consumed: [CsvValue, CsvValue, CsvValue, CsvValue] = correction
        ? [null, null, null, null]
        : tokens.isZero()
          ? [line.events.toString(), "Requests", line.events.toString(), "Requests"]
          : [tokens.toString(), "Tokens", tokens.div(1_000_000).toString(), "1000000 Tokens"];
      // An agent on no named platform ("custom", the default) runs in-house: the organization provides it.
      const vendor = agent?.platform && agent.platform !== "custom" ? agent.platform : null;
      const provider = vendor ?? org.name;
      const ratio = ratios.get(line);
      const values: Record<string, CsvValue> = {
        BillingAccountId: "agentledger", BillingAccountName: org.name, BillingCurrency: org.currency,
        BillingPeriodStart: periodCols[0]!, BillingPeriodEnd: periodCols[1]!, ChargePeriodStart: periodCols[0]!, ChargePeriodEnd: periodCols[1]!,
        ChargeCategory: correction ? "Adjustment" : "Usage", ChargeClass: correction ? "Correction" : null,
        ChargeDescription: correction ? `${agent?.name ?? `Agent ${line.agentId}`}: adjustment for ${line.adjusts}` : `${agent?.name ?? `Agent ${line.agentId}`} usage`,
        ChargeFrequency: "Usage-Based",
        BilledCost: cost, EffectiveCost: cost, ListCost: cost, ContractedCost: cost,
        ConsumedQuantity: consumed[0], ConsumedUnit: consumed[1], PricingQuantity: consumed[2], PricingUnit: consumed[3],
        ServiceCategory: "AI and Machine Learning", ServiceName: vendor ?? "AI agents",
        ServiceProviderName: provider, HostProviderName: provider, ProviderName: provider, PublisherName: provider,
        InvoiceIssuerName: org.name,
        ResourceId: agent?.key ?? String(line.agentId), ResourceName: agent?.name ?? null, ResourceType: "AI Agent",
        // Agent tags are keys without values: FOCUS gives those the boolean true.
        Tags: agent?.tags.length ? JSON.stringify(Object.fromEntries(agent.tags.map((t) => [t, true]))) : null,
        AllocatedMethodId: allocated && rule ? `${rule.method}${rule.driver ? `:${rule.driver}` : ""}` : null,
        AllocatedMethodDetails: allocated && ratio ? JSON.stringify({ Elements: [{ AllocatedRatio: Number(ratio.toString()), x_SharePercent: line.sharePercent!.toDecimalPlaces(10).toString() }] }) : null,
        AllocatedResourceId: allocated ? (department?.code ?? null) : null,
        AllocatedResourceName: allocated ? (department?.name ?? null) : null,
        x_CostCenterCode: department?.code ?? null, x_CostCenterName: department?.name ?? null, x_AllocationKind: line.kind,
      };
      return columns.map((c) => values[c] ?? null);
    });
  // Credit notes bill customers (organisation-wide, like invoices): department-scoped callers do not get them.
  const credits = scope ? [] : await creditNoteRows(start, end, periodCols, org.name);
  return toCsv(columns, [...rows, ...credits.map((values) => columns.map((c) => values[c] ?? null))]);
}

/**
 * Credit notes issued in the month, one negative row each: a correction (ChargeClass Correction) of the credited
 * invoice's period (ChargePeriod), billed in this month (BillingPeriod), in the invoice currency, to the customer's
 * account. No consumption or pricing quantity: a credit is money, not usage.
 */
async function creditNoteRows(start: Date, end: Date, periodCols: string[], issuer: string): Promise<Record<string, CsvValue>[]> {
  const notes = await creditNotesIssuedBetween(start, end);
  return notes.map((n) => {
    const cost = moneyText(dec(n.total).negated(), n.currency);
    return {
      BillingAccountId: n.invoice.customer?.key ?? "agentledger", BillingAccountName: n.invoice.customer?.name ?? issuer, BillingCurrency: n.currency.trim(),
      BillingPeriodStart: periodCols[0]!, BillingPeriodEnd: periodCols[1]!,
      ChargePeriodStart: focusDateTime(n.invoice.periodStart), ChargePeriodEnd: focusDateTime(n.invoice.periodEnd),
      ChargeCategory: "Credit", ChargeClass: "Correction",
      ChargeDescription: `Credit note ${creditNoteNumber(n.number)} on invoice ${invoiceNumber(n.invoice.number) ?? n.invoice.id} (${n.invoice.period}): ${n.reason}`,
      ChargeFrequency: "One-Time",
      BilledCost: cost, EffectiveCost: cost, ListCost: cost, ContractedCost: cost,
      ServiceCategory: "AI and Machine Learning", ServiceName: "AI agents",
      ServiceProviderName: issuer, HostProviderName: issuer, ProviderName: issuer, PublisherName: issuer, InvoiceIssuerName: issuer,
      x_AllocationKind: "credit_note",
    };
  });
}
