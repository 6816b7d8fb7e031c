"use client";
import { modelPriceCreate, modelPriceUpdate } from "@/lib/admin/schemas";
import type { Field } from "./entity-form";
import { when } from "./format";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { useMutate } from "./queries";
import { ResourceAdmin } from "./resource-admin";

type ModelPrice = {
  id: number;
  model: string;
  provider: string;
  currency: string;
  inputPerMTok: string;
  outputPerMTok: string;
  cacheReadPerMTok: string | null;
  cacheCreationPerMTok: string | null;
  reasoningPerMTok: string | null;
  inputAudioPerMTok: string | null;
  outputAudioPerMTok: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  serviceTier: string;
};

const fields: Field[] = [
  { name: "model", label: "Model" },
  { name: "provider", label: "Provider" },
  { name: "currency", label: "Currency", hint: "ISO code, e.g. USD" },
  { name: "inputPerMTok", label: "Input per 1M tokens", type: "decimal" },
  { name: "outputPerMTok", label: "Output per 1M tokens", type: "decimal" },
  { name: "cacheReadPerMTok", label: "Cache read per 1M", type: "decimal", nullable: true },
  { name: "cacheCreationPerMTok", label: "Cache write per 1M", type: "decimal", nullable: true, hint: "Empty = input price" },
  { name: "reasoningPerMTok", label: "Reasoning per 1M", type: "decimal", nullable: true, hint: "Empty = output price" },
  { name: "inputAudioPerMTok", label: "Audio input per 1M", type: "decimal", nullable: true, hint: "Empty = input price" },
  { name: "outputAudioPerMTok", label: "Audio output per 1M", type: "decimal", nullable: true, hint: "Empty = output price" },
  { name: "effectiveFrom", label: "Effective from", type: "datetime" },
  { name: "effectiveTo", label: "Effective until", type: "datetime", nullable: true },
  {
    name: "serviceTier",
    label: "Service tier",
    type: "select",
    options: ["default", "batch", "flex", "priority"].map((t) => ({ value: t, label: t })),
    hint: "A batch, flex or priority row is that tier's own price",
  },
];

export function ModelPricesAdmin() {
  const mutate = useMutate("model-prices");
  const confirm = useConfirm();
  return (
    <ResourceAdmin<ModelPrice>
      resource="model-prices"
      noun="model price"
      createSchema={modelPriceCreate}
      createFields={fields}
      editSchema={modelPriceUpdate}
      editFields={fields}
      columns={[
        { id: "model", header: "Model", value: (p) => p.model, cell: (p) => <code>{p.model}</code> },
        { id: "provider", header: "Provider", value: (p) => p.provider },
        { id: "tier", header: "Tier", value: (p) => p.serviceTier },
        { id: "currency", header: "Currency", value: (p) => p.currency.trim() },
        { id: "input", header: "Input per 1M", type: "number", digits: 6, value: (p) => p.inputPerMTok, cell: (p) => p.inputPerMTok },
        { id: "output", header: "Output per 1M", type: "number", digits: 6, value: (p) => p.outputPerMTok, cell: (p) => p.outputPerMTok },
        { id: "cacheRead", header: "Cache read", type: "number", digits: 6, value: (p) => p.cacheReadPerMTok, cell: (p) => p.cacheReadPerMTok ?? "—" },
        { id: "cacheWrite", header: "Cache write", type: "number", digits: 6, value: (p) => p.cacheCreationPerMTok, cell: (p) => p.cacheCreationPerMTok ?? "=input" },
        { id: "from", header: "From", type: "datetime", value: (p) => p.effectiveFrom },
        { id: "until", header: "Until", type: "datetime", value: (p) => p.effectiveTo },
      ]}
      actions={(p) => (
        <Button
          variant="danger-link"
          onClick={async () => {
            if (await confirm({ title: `Delete the ${p.model} price from ${when(p.effectiveFrom)}?`, description: "Events already priced keep their cost; new events use the remaining prices.", confirmLabel: "Delete price" })) {
              mutate.mutate({ method: "DELETE", path: p.id });
            }
          }}
        >
          Delete
        </Button>
      )}
    />
  );
}
