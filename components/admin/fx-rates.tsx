"use client";
// FX rates admin: the dated rate table (filtered, loaded page by page), a form to set one rate, and a file import
// (ECB CSV/XML or base,quote,date,rate CSV) previewed before it is applied.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiClientError, apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Field, Input, Select } from "@/components/ui/field";
import { ErrorState } from "@/components/ui/states";
import type { FxImportResponse, FxRateResponse, FxUpsertResponse } from "@/lib/currency/schemas";
import { adminKeys } from "./queries";

type Page = { items: FxRateResponse[]; nextCursor: string | null };
type Format = FxImportResponse["format"];

const fxKeys = { list: (filters: Record<string, string>) => [...adminKeys.all, "fx-rates", filters] as const, all: [...adminKeys.all, "fx-rates"] as const };
const formats: { value: Format; label: string; type: string }[] = [
  { value: "ecb-csv", label: "ECB CSV (eurofxref.csv, eurofxref-hist.csv)", type: "text/csv" },
  { value: "ecb-xml", label: "ECB XML (eurofxref-daily.xml, eurofxref-hist.xml)", type: "application/xml" },
  { value: "csv", label: "CSV: base,quote,date,rate", type: "text/csv" },
];

const formValues = (form: HTMLFormElement) => Object.fromEntries(Array.from(new FormData(form), ([k, v]) => [k, typeof v === "string" ? v.trim() : v]));
/** The API's per-field messages for the one rate sent (paths like rates.0.quote). */
const fieldErrors = (error: unknown) =>
  Object.fromEntries(error instanceof ApiClientError ? (error.details ?? []).map((d) => [d.path.replace(/^rates\.0\.?/, "") || "rate", d.message]) : []);

function RateTable() {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const query = useInfiniteQuery({
    queryKey: fxKeys.list(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      if (pageParam) params.set("cursor", pageParam);
      return apiFetch<Page>(`/api/v1/fx-rates?${params}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const columns: Column<FxRateResponse>[] = [
    { id: "date", header: "Date", value: (r) => r.date },
    { id: "pair", header: "Pair", value: (r) => `${r.base}/${r.quote}` },
    { id: "rate", header: "Rate", value: (r) => r.rate, cell: (r) => <span className="tabular-nums">1 {r.base} = {r.rate} {r.quote}</span> },
    { id: "source", header: "Source", value: (r) => r.source },
    { id: "createdBy", header: "Set by", value: (r) => r.createdBy },
    { id: "createdAt", header: "Set at", type: "datetime", value: (r) => r.createdAt },
  ];
  return (
    <div className="space-y-3">
      <form aria-label="Rate filters" className="flex flex-wrap items-end gap-2" onSubmit={(e) => { e.preventDefault(); setFilters(formValues(e.currentTarget) as Record<string, string>); }}>
        <Field label="Base"><Input name="base" placeholder="EUR" className="w-24" /></Field>
        <Field label="Quote"><Input name="quote" placeholder="USD" className="w-24" /></Field>
        <Field label="From"><Input name="from" type="date" /></Field>
        <Field label="To"><Input name="to" type="date" /></Field>
        <Button size="sm" type="submit">Filter</Button>
      </form>
      {query.isError ? (
        <ErrorState error={query.error} />
      ) : (
        <DataTable
          title="Rates"
          columns={columns}
          rows={query.data?.pages.flatMap((p) => p.items) ?? []}
          rowKey={(r) => String(r.id)}
          loading={query.isPending}
          empty="No rates for these filters."
          csvName="fx-rates.csv"
          loadMore={{ hasMore: query.hasNextPage, loading: query.isFetchingNextPage, onMore: () => void query.fetchNextPage() }}
        />
      )}
    </div>
  );
}

function RateForm() {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (rate: Record<string, unknown>) => apiFetch<FxUpsertResponse>("/api/v1/fx-rates", { method: "PUT", body: JSON.stringify({ rates: [rate] }) }),
    onSuccess: () => client.invalidateQueries({ queryKey: fxKeys.all }),
    meta: { success: "Rate saved" },
  });
  const errors = fieldErrors(save.error);
  return (
    <Card aria-label="Set a rate">
      <CardHeader>
        <CardTitle>Set a rate</CardTitle>
        <CardDescription>1 unit of base = rate units of quote on the date. An existing rate for the pair and date is replaced (the audit log keeps it).</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="flex flex-wrap items-start gap-3" onSubmit={(e) => { e.preventDefault(); save.mutate(formValues(e.currentTarget)); }}>
          <Field label="Base" error={errors.base}><Input name="base" required maxLength={3} placeholder="EUR" className="w-24" /></Field>
          <Field label="Quote" error={errors.quote}><Input name="quote" required maxLength={3} placeholder="CHF" className="w-24" /></Field>
          <Field label="Date" error={errors.date}><Input name="date" type="date" required /></Field>
          <Field label="Rate" error={errors.rate}><Input name="rate" required inputMode="decimal" placeholder="0.9312" className="w-36" /></Field>
          <Button type="submit" className="mt-6" disabled={save.isPending}>Save rate</Button>
        </form>
      </CardContent>
    </Card>
  );
}

function ImportForm() {
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>("ecb-csv");
  const [preview, setPreview] = useState<FxImportResponse | null>(null);
  const run = useMutation({
    mutationFn: async (mode: "preview" | "apply") => {
      if (!file) throw new Error("Choose a file first");
      const type = formats.find((f) => f.value === format)!.type;
      return apiFetch<FxImportResponse>(`/api/v1/fx-rates/import?format=${format}&mode=${mode}`, { method: "POST", body: await file.text(), headers: { "content-type": type } });
    },
    onSuccess: (result) => {
      setPreview(result.mode === "preview" ? result : null);
      if (result.mode === "apply") void client.invalidateQueries({ queryKey: fxKeys.all });
    },
    meta: { success: (mode: "preview" | "apply") => (mode === "apply" ? "Rates imported" : "File checked: nothing written yet") },
  });
  const details = run.error instanceof ApiClientError ? (run.error.details ?? []) : [];
  return (
    <Card aria-label="Import rates">
      <CardHeader>
        <CardTitle>Import a file</CardTitle>
        <CardDescription>The ECB&apos;s reference-rate files as downloaded (every rate is per 1 EUR), or your own CSV. Preview first; applying writes every rate or none.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Format">
            <Select value={format} onChange={(e) => { setFormat(e.target.value as Format); setPreview(null); }}>
              {formats.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
            </Select>
          </Field>
          <Field label="File"><Input type="file" accept=".csv,.xml,text/csv,application/xml" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setPreview(null); }} /></Field>
          <Button variant="secondary" disabled={!file || run.isPending} onClick={() => run.mutate("preview")}>Preview</Button>
          <Button disabled={!preview || run.isPending} onClick={() => run.mutate("apply")}>Apply</Button>
        </div>
        {details.length > 0 && (
          <ul aria-label="Problems in the file" className="list-disc pl-5 text-sm text-danger">
            {details.slice(0, 20).map((d) => <li key={d.path + d.message}><code>{d.path}</code>: {d.message}</li>)}
          </ul>
        )}
        {preview && (
          <p role="status" className="text-sm">
            {preview.rates} rates from {preview.from} to {preview.to} ({preview.currencies.length} currencies): {preview.created} new, {preview.updated} changed, {preview.unchanged} unchanged.
            {preview.skippedCurrencies.length > 0 && ` Skipped (no longer ISO 4217): ${preview.skippedCurrencies.join(", ")}.`}
          </p>
        )}
      </CardContent>
    </Card>
  );
}

export function FxRatesAdmin() {
  return (
    <div className="space-y-4">
      <RateForm />
      <ImportForm />
      <RateTable />
    </div>
  );
}
