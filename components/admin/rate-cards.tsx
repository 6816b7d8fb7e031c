"use client";
// Rate cards: versions of each price plan and their charges. A version that priced a finalized invoice is frozen;
// a price change is a new version (a copy of the open one, starting later), whose charges are then edited here.
import { useState } from "react";
import { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { ErrorState } from "@/components/ui/states";
import { chargeModels } from "@/lib/billing/rating";
import { chargeInputOf, chargeRules, chargeUpdate, rateCardUpdate, type ChargeView, type RateCardView } from "@/lib/billing/rate-card-schemas";
import { taxCategories } from "@/lib/billing/tax";
import { EntityForm, type Field, type Values } from "./entity-form";
import { useList, useMutate } from "./queries";

const opts = (values: readonly string[]) => values.map((v) => ({ value: v, label: v.replace("_", " ") }));
const label = (p: RateCardView) => `${p.key} v${p.version}`;

const chargeFields: Field[] = [
  { name: "model", label: "Charge model", type: "select", options: opts(chargeModels) },
  { name: "unitPrice", label: "Unit price", type: "decimal", nullable: true, hint: "per_unit; package: price of one package" },
  { name: "tiers", label: "Tiers (graduated, volume)", type: "textarea", nullable: true, hint: 'JSON, e.g. [{"upTo":"1000","unitPrice":"0.05"},{"upTo":null,"unitPrice":"0.04"}]' },
  { name: "packageSize", label: "Package size", type: "decimal", nullable: true },
  { name: "markupPercent", label: "Markup (%)", type: "decimal", nullable: true },
  { name: "creditsPerUnit", label: "Credits per unit", type: "decimal", nullable: true },
  { name: "creditPackSize", label: "Credit pack size", type: "decimal", nullable: true },
  { name: "creditPackPrice", label: "Credit pack price", type: "decimal", nullable: true },
  { name: "freeUnits", label: "Free units", type: "decimal", nullable: true },
  { name: "minimumAmount", label: "Monthly floor", type: "decimal", nullable: true },
  { name: "maximumAmount", label: "Monthly cap", type: "decimal", nullable: true },
  { name: "guaranteeMaxEscalationRate", label: "Guarantee: max escalation rate", type: "decimal", nullable: true, hint: "Task meters: ratio, 0.15 = 15 %" },
  { name: "guaranteeCreditPercent", label: "Guarantee: credit (%)", type: "decimal", nullable: true },
  { name: "taxCategory", label: "Tax category", type: "select", nullable: true, options: opts(taxCategories), hint: "Empty = the organization's default" },
];

/** The form sends tiers as JSON text; the API's own rules check the charge as the form will store it. */
const chargeForm = z.preprocess((v) => {
  const values = v as Record<string, unknown>;
  if (typeof values.tiers !== "string") return values;
  try {
    return { ...values, tiers: JSON.parse(values.tiers) };
  } catch {
    return { ...values, tiers: "not JSON" };
  }
}, chargeUpdate.superRefine((c, ctx) => chargeRules(c, ctx)));

const settingsFields: Field[] = [
  { name: "name", label: "Name" },
  { name: "minimumSpend", label: "Minimum spend per period", type: "decimal", nullable: true },
  { name: "pricesIncludeTax", label: "Prices include tax", type: "checkbox" },
  { name: "effectiveFrom", label: "Effective from", type: "datetime" },
];

function price(c: ChargeView): string {
  switch (c.model) {
    case "per_unit":
      return `${c.unitPrice} per unit`;
    case "package":
      return `${c.unitPrice} per ${c.packageSize}`;
    case "markup":
      return `cost + ${c.markupPercent}%`;
    case "credits":
      return `${c.creditsPerUnit} credits/unit, ${c.creditPackPrice} per ${c.creditPackSize}`;
    default:
      return (c.tiers ?? []).map((t) => `${t.upTo ?? "∞"} @ ${t.unitPrice}`).join(", ");
  }
}

export function RateCardsAdmin() {
  const list = useList<RateCardView>("rate-cards");
  const mutate = useMutate<RateCardView>("rate-cards");
  const [openId, setOpenId] = useState<number | null>(null);
  const [editing, setEditing] = useState<ChargeView | null>(null);
  const open = list.data?.find((p) => p.id === openId) ?? null;
  const frozen = Boolean(open?.lockedBy.length);

  if (list.isError) return <ErrorState error={list.error} />;
  return (
    <div className="space-y-6">
      <DataTable
        title="Rate card versions"
        heading={false}
        rows={list.data ?? []}
        rowKey={(p) => String(p.id)}
        loading={list.isPending}
        empty="No rate cards yet."
        csvName="rate-cards.csv"
        columns={[
          { id: "key", header: "Rate card", value: (p) => p.key, cell: (p) => <code>{p.key}</code> },
          { id: "version", header: "Version", type: "number", value: (p) => p.version },
          { id: "name", header: "Name", value: (p) => p.name },
          { id: "currency", header: "Currency", value: (p) => p.currency },
          { id: "from", header: "Effective from", type: "datetime", value: (p) => p.effectiveFrom },
          { id: "tax", header: "Prices", value: (p) => (p.pricesIncludeTax ? "include tax" : "exclude tax") },
          { id: "charges", header: "Charges", type: "number", value: (p) => p.charges.length },
          {
            id: "state",
            header: "State",
            value: (p) => (p.lockedBy.length ? "frozen" : "editable"),
            cell: (p) => (p.lockedBy.length ? <Badge title={`Priced ${p.lockedBy.join(", ")}`}>frozen</Badge> : <Badge tone="info">editable</Badge>),
          },
          {
            id: "actions",
            header: "Actions",
            csv: false,
            cell: (p) => (
              <Button variant="link" size="sm" aria-label={`Open ${label(p)}`} onClick={() => (setOpenId(p.id), setEditing(null))}>
                Open
              </Button>
            ),
          },
        ]}
      />
      {open && (
        <section aria-label={`Rate card ${label(open)}`} className="space-y-4">
          <h2 className="text-lg font-semibold">
            {open.name} ({label(open)})
          </h2>
          {frozen ? (
            <p className="text-sm text-muted-foreground">
              This version priced finalized invoices ({open.lockedBy.join(", ")}), so it cannot change. Create a new version to change prices from a later
              period.
            </p>
          ) : (
            <EntityForm
              key={`settings-${open.id}`}
              title="Version settings"
              fields={settingsFields}
              schema={rateCardUpdate}
              initial={open as unknown as Values}
              submitLabel="Save settings"
              clearAfterSubmit={false}
              onSubmit={(body) => mutate.mutateAsync({ method: "PATCH", path: open.id, body })}
            />
          )}
          <EntityForm
            key={`version-${open.id}`}
            title="New version"
            fields={[
              { name: "name", label: "Name" },
              { name: "effectiveFrom", label: "Effective from", type: "datetime", hint: "Prices periods starting at or after this; after every finalized period" },
            ]}
            schema={z.strictObject({ name: z.string().trim().min(1, "Required"), effectiveFrom: z.iso.datetime({ offset: true, error: "Required" }) })}
            initial={{ name: open.name }}
            submitLabel={`Create version ${Math.max(...(list.data ?? []).filter((p) => p.key === open.key).map((p) => p.version)) + 1} from this one`}
            onSubmit={async (body) => {
              const created = await mutate.mutateAsync({
                method: "POST",
                body: { key: open.key, currency: open.currency, minimumSpend: open.minimumSpend, pricesIncludeTax: open.pricesIncludeTax, ...body, charges: open.charges.map(chargeInputOf) },
              });
              setOpenId(created.id);
            }}
          />
          {editing && !frozen && (
            <EntityForm
              key={`charge-${editing.id}`}
              title={`Edit charge on ${editing.meter}`}
              fields={chargeFields}
              schema={chargeForm}
              initial={{ ...editing, tiers: editing.tiers ? JSON.stringify(editing.tiers) : null }}
              submitLabel="Save charge"
              onCancel={() => setEditing(null)}
              onSubmit={async (body) => {
                await mutate.mutateAsync({ method: "PATCH", path: `${open.id}/charges/${editing.id}`, body });
                setEditing(null);
              }}
            />
          )}
          <DataTable
            title={`Charges of ${label(open)}`}
            rows={open.charges}
            rowKey={(c) => String(c.id)}
            rowTestId={(c) => `charge-${c.meter}`}
            empty="No charges."
            columns={[
              { id: "meter", header: "Meter", value: (c) => c.meterName, cell: (c) => <>{c.meterName} <code>{c.meter}</code></> },
              { id: "model", header: "Model", value: (c) => c.model },
              { id: "price", header: "Price", value: price },
              { id: "free", header: "Free units", value: (c) => c.freeUnits ?? "" },
              { id: "limits", header: "Floor / cap", value: (c) => [c.minimumAmount ?? "—", c.maximumAmount ?? "—"].join(" / ") },
              { id: "guarantee", header: "Guarantee", value: (c) => (c.guaranteeMaxEscalationRate ? `${c.guaranteeCreditPercent}% credit above ${c.guaranteeMaxEscalationRate}` : "") },
              { id: "taxCategory", header: "Tax category", value: (c) => c.taxCategory ?? "default" },
              {
                id: "actions",
                header: "Actions",
                csv: false,
                cell: (c) =>
                  frozen ? null : (
                    <Button variant="link" size="sm" aria-label={`Edit charge ${c.meter}`} onClick={() => setEditing(c)}>
                      Edit
                    </Button>
                  ),
              },
            ]}
          />
        </section>
      )}
    </div>
  );
}
