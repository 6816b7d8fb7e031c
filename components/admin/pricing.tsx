"use client";
// Admin → Model prices, beyond the organization's own rows: unpriced models (add a price or an alias in one step),
// aliases, negotiated discounts, prices in effect (catalog price, discount, effective price), catalog updates.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { DataTable, type TableColumn } from "@/components/charts/data-table";
import { ErrorState, Loading } from "@/components/ui/states";
import { formatCompact, formatNumber } from "@/lib/format";
import { adminKeys } from "./queries";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { Field, Input } from "@/components/ui/field";

type Unpriced = { model: string; provider: string | null; events: number; tokens: Record<"input" | "output" | "cache_read" | "cache_creation" | "reasoning", number> };
type Alias = { id: number; alias: string; model: string; provider: string | null };
type Discount = { id: number; provider: string; model: string | null; percent: string; effectiveFrom: string; effectiveTo: string | null; note: string | null };
type EffectivePrice = {
  id: number; source: string; provider: string; model: string; serviceTier: string; currency: string; input: string; output: string;
  cacheRead: string | null; cacheCreation: string | null; tiers: { start: number }[] | null; discountPercent: string | null;
  effective: { input: string; output: string; cacheRead: string | null; cacheCreation: string | null };
};
type Recost = {
  changes: { id: number; kind: string; models: string[]; allModels: boolean; provider: string | null; rangeFrom: string; rangeTo: string | null; actor: string | null; createdAt: string }[];
  scope: { from: string; to: string; predicate: { models?: string[] } } | null;
  preview: { scanned: number; changed: number; finalized: number; delta: { total: string; byDepartment: Record<string, string>; byCustomer: Record<string, string> } } | null;
};
type Diff = { version: string; currentVersion: string | null; added: number; removed: number; changed: number; unchanged: number; hash: string;
  changes: { provider: string; model: string; effectiveFrom: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[];
  skipped: { provider: string; model: string; reason: string }[] };

const keys = {
  unpriced: (range: string) => [...adminKeys.all, "pricing", "unpriced", range] as const,
  aliases: () => [...adminKeys.all, "pricing", "aliases"] as const,
  discounts: () => [...adminKeys.all, "pricing", "discounts"] as const,
  prices: (search: string) => [...adminKeys.all, "pricing", "prices", search] as const,
  recost: () => [...adminKeys.all, "pricing", "recost"] as const,
};
const post = (path: string, body: unknown) => apiFetch<unknown>(path, { method: "POST", body: JSON.stringify(body) });

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: [...adminKeys.all, "pricing"] });
}

/** One step per unpriced model: alias it to a priced model, or add its price (from the start of 2020, so a re-cost
 * can reach back over its history). */
function UnpricedRow({ row }: { row: Unpriced }) {
  const [target, setTarget] = useState("");
  const [price, setPrice] = useState({ inputPerMTok: "", outputPerMTok: "", currency: "USD" });
  const invalidate = useInvalidate();
  const alias = useMutation({ mutationFn: () => post("/api/v1/pricing/aliases", { alias: row.model, model: target }), onSuccess: invalidate, meta: { success: "Alias added" } });
  const add = useMutation({
    mutationFn: () => post("/api/v1/model-prices", { model: row.model, provider: row.provider ?? "custom", ...price, effectiveFrom: "2020-01-01T00:00:00Z" }),
    meta: { success: "Price added" },
    onSuccess: invalidate,
  });
  if (!row.model) return <span className="text-muted-foreground">Events without a model: send `model` with their tokens.</span>;
  const error = alias.error ?? add.error;
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Input aria-label={`Alias ${row.model} to model`} placeholder="alias to, e.g. gpt-4o" value={target} onChange={(e) => setTarget(e.target.value)} />
      <Button disabled={!target || alias.isPending} onClick={() => alias.mutate()}>Add alias</Button>
      <span className="text-muted-foreground">or</span>
      <Input aria-label={`Input price per 1M tokens of ${row.model}`} className="w-20" placeholder="in/1M" value={price.inputPerMTok} onChange={(e) => setPrice({ ...price, inputPerMTok: e.target.value })} />
      <Input aria-label={`Output price per 1M tokens of ${row.model}`} className="w-20" placeholder="out/1M" value={price.outputPerMTok} onChange={(e) => setPrice({ ...price, outputPerMTok: e.target.value })} />
      <Input aria-label={`Currency of the ${row.model} price`} className="w-16" value={price.currency} onChange={(e) => setPrice({ ...price, currency: e.target.value })} />
      <Button disabled={!price.inputPerMTok || !price.outputPerMTok || add.isPending} onClick={() => add.mutate()}>Add price</Button>
      {error && <span className="text-danger">{error.message}</span>}
    </span>
  );
}

function UnpricedSection({ range }: { range: string }) {
  const q = useQuery({ queryKey: keys.unpriced(range), queryFn: ({ signal }) => apiFetch<{ models: Unpriced[] }>(`/api/v1/pricing/unpriced?${range}`, { signal }) });
  if (q.isPending) return <Loading what="unpriced models" />;
  if (q.isError) return <ErrorState error={q.error} />;
  const total = (t: Unpriced["tokens"]) => t.input + t.output + t.cache_read + t.cache_creation + t.reasoning;
  const columns: TableColumn<Unpriced>[] = [
    { header: "Model (as sent)", cell: (r) => <code>{r.model || "(none)"}</code>, csv: (r) => r.model },
    { header: "Provider (guess)", cell: (r) => r.provider ?? "—", csv: (r) => r.provider },
    { header: "Events", numeric: true, cell: (r) => formatNumber(r.events), csv: (r) => r.events },
    { header: "Tokens", numeric: true, cell: (r) => formatCompact(total(r.tokens)), csv: (r) => total(r.tokens) },
    { header: "Fix", cell: (r) => <UnpricedRow row={r} />, csv: () => null },
  ];
  return <DataTable title="Unpriced models (last 30 days unless a range is given)" columns={columns} rows={q.data.models} rowKey={(r) => r.model} csvName="unpriced-models.csv" empty="Every event with tokens in this period has a price." />;
}

function AliasesSection() {
  const invalidate = useInvalidate();
  const q = useQuery({ queryKey: keys.aliases(), queryFn: ({ signal }) => apiFetch<{ items: Alias[] }>("/api/v1/pricing/aliases", { signal }) });
  const [form, setForm] = useState({ alias: "", model: "", provider: "" });
  const create = useMutation({ mutationFn: () => post("/api/v1/pricing/aliases", { ...form, provider: form.provider || null }), onSuccess: () => { setForm({ alias: "", model: "", provider: "" }); invalidate(); }, meta: { success: "Alias created" } });
  const remove = useMutation({ mutationFn: (id: number) => apiFetch(`/api/v1/pricing/aliases/${id}`, { method: "DELETE" }), onSuccess: invalidate, meta: { success: "Alias deleted" } });
  const confirm = useConfirm();
  const columns: TableColumn<Alias>[] = [
    { header: "Alias", cell: (a) => <code>{a.alias}</code>, csv: (a) => a.alias },
    { header: "Model", cell: (a) => <code>{a.model}</code>, csv: (a) => a.model },
    { header: "Provider", cell: (a) => a.provider ?? "model's own", csv: (a) => a.provider },
    { header: "", cell: (a) => <Button variant="danger-link" onClick={async () => (await confirm({ title: `Delete the alias ${a.alias}?`, confirmLabel: "Delete alias" })) && remove.mutate(a.id)}>Delete</Button>, csv: () => null },
  ];
  return (
    <div className="space-y-2">
      <form className="flex flex-wrap items-end gap-2" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        {(["alias", "model", "provider"] as const).map((f) => (
          <Field key={f} label={f === "alias" ? "Alias (e.g. Azure deployment)" : f === "model" ? "Model it stands for" : "Provider (optional, e.g. azure)"}>
            <Input value={form[f]} onChange={(e) => setForm({ ...form, [f]: e.target.value })} />
          </Field>
        ))}
        <Button type="submit" disabled={create.isPending}>Add alias</Button>
        {create.isError && <span className="text-sm text-danger">{create.error.message}</span>}
      </form>
      {q.isPending ? <Loading what="aliases" /> : q.isError ? <ErrorState error={q.error} /> : <DataTable title="Aliases" columns={columns} rows={q.data.items} rowKey={(a) => String(a.id)} csvName="model-aliases.csv" empty="No aliases yet." />}
    </div>
  );
}

function DiscountsSection() {
  const invalidate = useInvalidate();
  const q = useQuery({ queryKey: keys.discounts(), queryFn: ({ signal }) => apiFetch<{ items: Discount[] }>("/api/v1/pricing/discounts", { signal }) });
  const [form, setForm] = useState({ provider: "", model: "", percent: "", effectiveFrom: new Date().toISOString().slice(0, 10), note: "" });
  const create = useMutation({
    mutationFn: () => post("/api/v1/pricing/discounts", { provider: form.provider, model: form.model || null, percent: form.percent, effectiveFrom: `${form.effectiveFrom}T00:00:00Z`, note: form.note || null }),
    onSuccess: () => { setForm({ ...form, model: "", percent: "", note: "" }); invalidate(); },
    meta: { success: "Discount created" },
  });
  const remove = useMutation({ mutationFn: (id: number) => apiFetch(`/api/v1/pricing/discounts/${id}`, { method: "DELETE" }), onSuccess: invalidate, meta: { success: "Discount deleted" } });
  const confirm = useConfirm();
  const columns: TableColumn<Discount>[] = [
    { header: "Provider", cell: (d) => d.provider, csv: (d) => d.provider },
    { header: "Model", cell: (d) => d.model ?? "all models", csv: (d) => d.model },
    { header: "Discount", numeric: true, cell: (d) => `${d.percent} %`, csv: (d) => d.percent },
    { header: "From", cell: (d) => d.effectiveFrom.slice(0, 10), csv: (d) => d.effectiveFrom },
    { header: "Until", cell: (d) => d.effectiveTo?.slice(0, 10) ?? "—", csv: (d) => d.effectiveTo },
    { header: "Note", cell: (d) => d.note ?? "", csv: (d) => d.note },
    { header: "", cell: (d) => <Button variant="danger-link" onClick={async () => (await confirm({ title: "Delete this discount?", confirmLabel: "Delete discount" })) && remove.mutate(d.id)}>Delete</Button>, csv: () => null },
  ];
  return (
    <div className="space-y-2">
      <form className="flex flex-wrap items-end gap-2" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        {(["provider", "model", "percent", "effectiveFrom", "note"] as const).map((f) => (
          <Field key={f} label={{ provider: "Provider (e.g. openai)", model: "Model (empty = all)", percent: "Percent off", effectiveFrom: "From", note: "Note" }[f]}>
            <Input type={f === "effectiveFrom" ? "date" : "text"} value={form[f]} onChange={(e) => setForm({ ...form, [f]: e.target.value })} />
          </Field>
        ))}
        <Button type="submit" disabled={create.isPending}>Add discount</Button>
        {create.isError && <span className="text-sm text-danger">{create.error.message}</span>}
      </form>
      {q.isPending ? <Loading what="discounts" /> : q.isError ? <ErrorState error={q.error} /> : <DataTable title="Negotiated discounts" columns={columns} rows={q.data.items} rowKey={(d) => String(d.id)} csvName="price-discounts.csv" empty="No discounts: catalog list prices apply." />}
    </div>
  );
}

function PricesSection() {
  const [search, setSearch] = useState("");
  const q = useQuery({ queryKey: keys.prices(search), queryFn: ({ signal }) => apiFetch<{ items: EffectivePrice[] }>(`/api/v1/pricing/prices?limit=200${search ? `&search=${encodeURIComponent(search)}` : ""}`, { signal }) });
  const trim = (v: string | null) => (v === null ? "—" : v.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, ""));
  const columns: TableColumn<EffectivePrice>[] = [
    { header: "Model", cell: (p) => <code>{p.model}</code>, csv: (p) => p.model },
    { header: "Provider", cell: (p) => p.provider, csv: (p) => p.provider },
    { header: "Source", cell: (p) => (p.source === "catalog" ? "catalog" : "your price"), csv: (p) => p.source },
    { header: "Tier", cell: (p) => `${p.serviceTier}${p.tiers?.length ? ` · >${p.tiers.map((t) => formatCompact(t.start)).join("/")} prompt` : ""}`, csv: (p) => p.serviceTier },
    { header: "List in / out per 1M", numeric: true, cell: (p) => `${trim(p.input)} / ${trim(p.output)}`, csv: (p) => `${p.input}/${p.output}` },
    { header: "Discount", numeric: true, cell: (p) => (p.discountPercent ? `${p.discountPercent} %` : "—"), csv: (p) => p.discountPercent },
    { header: "Effective in / out per 1M", numeric: true, cell: (p) => `${trim(p.effective.input)} / ${trim(p.effective.output)} ${p.currency}`, csv: (p) => `${p.effective.input}/${p.effective.output}` },
  ];
  return (
    <div className="space-y-2">
      <Field label="Search model or provider" className="max-w-xs">
        <Input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. claude-sonnet" />
      </Field>
      {q.isPending ? <Loading what="prices" /> : q.isError ? <ErrorState error={q.error} /> : <DataTable title="Prices in effect now (first 200)" columns={columns} rows={q.data.items} rowKey={(p) => String(p.id)} csvName="prices.csv" empty="No price matches." />}
    </div>
  );
}

function CatalogSection() {
  const invalidate = useInvalidate();
  const [source, setSource] = useState<{ source: "package" } | { source: "file"; version: string; catalog: unknown[] }>({ source: "package" });
  const [diff, setDiff] = useState<Diff | null>(null);
  const preview = useMutation({ mutationFn: () => post("/api/v1/pricing/catalog/preview", source) as Promise<Diff>, onSuccess: setDiff, meta: { error: "Could not preview the catalog" } });
  const apply = useMutation({ mutationFn: () => post("/api/v1/pricing/catalog", { ...source, expect: diff!.hash }), onSuccess: () => { setDiff(null); invalidate(); }, meta: { success: "Price catalog updated" } });
  const [fileError, setFileError] = useState<string | null>(null);
  return (
    <div className="space-y-3 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={() => { setSource({ source: "package" }); setDiff(null); }}>Use the installed catalog package</Button>
        <label>
          <span className="mr-2 text-muted-foreground">or upload a catalog file (genai-prices data.json)</span>
          <input
            type="file"
            accept="application/json,.json"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              try {
                setSource({ source: "file", version: file.name.slice(0, 64), catalog: JSON.parse(await file.text()) as unknown[] });
                setFileError(null);
                setDiff(null);
              } catch {
                setFileError("That file is not JSON.");
              }
            }}
          />
        </label>
        <Button disabled={preview.isPending} onClick={() => preview.mutate()}>Preview update</Button>
      </div>
      {fileError && <p className="text-danger">{fileError}</p>}
      {preview.isError && <p className="text-danger">{preview.error.message}</p>}
      {diff && (
        <div className="space-y-2 rounded border border-border bg-surface p-3" data-testid="catalog-diff">
          <p>
            <strong>{diff.version}</strong> (now {diff.currentVersion ?? "none"}): {diff.added} added, {diff.changed} changed, {diff.removed} removed, {diff.unchanged} unchanged;
            {" "}{diff.skipped.length} catalog entries not loaded (not priced per token, or no exact decimal).
          </p>
          <ul className="max-h-64 overflow-y-auto font-mono text-xs">
            {diff.changes.map((c) => (
              <li key={`${c.provider}/${c.model}/${c.effectiveFrom}`}>
                {c.before ? (c.after ? "~" : "−") : "+"} {c.provider}/{c.model} from {c.effectiveFrom.slice(0, 10)}
                {c.before && c.after ? `: in ${String(c.before.inputPerMTok)} → ${String(c.after.inputPerMTok)}, out ${String(c.before.outputPerMTok)} → ${String(c.after.outputPerMTok)}` : ""}
              </li>
            ))}
          </ul>
          <Button disabled={apply.isPending || diff.added + diff.changed + diff.removed === 0} onClick={() => apply.mutate()}>
            Apply this update
          </Button>
          {apply.isError && <p className="text-danger">{apply.error.message}</p>}
          <p className="text-muted-foreground">Events already stored keep their cost; the update is logged for re-costing.</p>
        </div>
      )}
      {apply.isSuccess && <p className="text-success">Catalog updated.</p>}
    </div>
  );
}

/** Pending price changes and what re-costing them would move (the recompute preview); applied with a reason. */
function RecostSection() {
  const invalidate = useInvalidate();
  const q = useQuery({ queryKey: keys.recost(), queryFn: ({ signal }) => apiFetch<Recost>("/api/v1/pricing/recost", { signal }) });
  const [reason, setReason] = useState("");
  const apply = useMutation({
    mutationFn: (ids: number[]) => post("/api/v1/pricing/recost", { changes: ids, reason }) as Promise<{ runId: number | null }>,
    onSuccess: () => { setReason(""); invalidate(); },
    meta: { success: "Re-costing started" },
  });
  if (q.isPending) return <Loading what="pending price changes" />;
  if (q.isError) return <ErrorState error={q.error} />;
  const { changes, scope, preview } = q.data;
  if (changes.length === 0) {
    return <p className="text-sm text-muted-foreground">Every price change has been re-costed.{apply.data?.runId ? <> Run <a className="text-accent-foreground hover:underline" href="/admin/recompute">#{apply.data.runId}</a> started.</> : null}</p>;
  }
  const columns: TableColumn<Recost["changes"][number]>[] = [
    { header: "Change", cell: (c) => c.kind, csv: (c) => c.kind },
    { header: "Models", cell: (c) => (c.allModels ? `all${c.provider ? ` of ${c.provider}` : ""}` : c.models.slice(0, 5).join(", ") + (c.models.length > 5 ? " …" : "")), csv: (c) => (c.allModels ? "all" : c.models.join(" ")) },
    { header: "From", cell: (c) => c.rangeFrom.slice(0, 10), csv: (c) => c.rangeFrom },
    { header: "To", cell: (c) => c.rangeTo?.slice(0, 10) ?? "open", csv: (c) => c.rangeTo },
    { header: "By", cell: (c) => c.actor ?? "—", csv: (c) => c.actor },
  ];
  const deltas = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k}: ${v}`).join(" · ") || "—";
  return (
    <div className="space-y-2">
      <DataTable title="Price changes not yet re-costed" columns={columns} rows={changes} rowKey={(c) => String(c.id)} csvName="pending-price-changes.csv" empty="None." />
      {scope && preview ? (
        <div className="space-y-1 text-sm" data-testid="recost-preview">
          <p>
            Re-costing {formatNumber(preview.changed)} of {formatNumber(preview.scanned)} events from {scope.from} to {scope.to}
            {preview.finalized ? `, ${formatNumber(preview.finalized)} in finalized invoice periods (their difference goes on the next draft)` : ""}: total change <strong>{preview.delta.total}</strong>.
          </p>
          <p className="text-muted-foreground">By department: {deltas(preview.delta.byDepartment)}</p>
          <p className="text-muted-foreground">By customer: {deltas(preview.delta.byCustomer)}</p>
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">No stored event carries an affected model id: applying only marks these changes done.</p>
      )}
      <form className="flex flex-wrap items-end gap-2" onSubmit={(e) => { e.preventDefault(); apply.mutate(changes.map((c) => c.id)); }}>
        <Field label="Reason (audited)">
          <Input className="w-80 max-w-full" value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <Button type="submit" disabled={!reason.trim() || apply.isPending}>Apply re-cost</Button>
        {apply.isError && <span className="text-sm text-danger">{apply.error.message}</span>}
      </form>
    </div>
  );
}

export function PricingAdmin() {
  const params = useSearchParams();
  const from = params.get("from");
  const to = params.get("to");
  const range = from && to ? `from=${from}&to=${to}` : "";
  return (
    <div className="space-y-8">
      <section id="unpriced" className="space-y-2">
        <h2 className="text-lg font-semibold">Unpriced usage</h2>
        <UnpricedSection range={range} />
      </section>
      <section id="recost" className="space-y-2">
        <h2 className="text-lg font-semibold">Re-costing</h2>
        <p className="text-sm text-muted-foreground">Stored events keep their cost until you apply a re-cost: check the change per department and customer first. Reported costs never change.</p>
        <RecostSection />
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Aliases</h2>
        <AliasesSection />
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Negotiated discounts</h2>
        <p className="text-sm text-muted-foreground">A model&apos;s discount beats its provider&apos;s; discounts apply to catalog prices, not to your own rows.</p>
        <DiscountsSection />
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Prices in effect</h2>
        <PricesSection />
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Update the catalog</h2>
        <CatalogSection />
      </section>
    </div>
  );
}
