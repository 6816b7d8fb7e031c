"use client";
// FOCUS billing export import: the settings (AI filter, cost column, mapping rules), a preview of the chosen file's
// first rows under them, the upload (a background job) and its progress.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch, ApiClientError } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Card, cardClass } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import type { FocusPreview } from "@/lib/focus-import/schemas";
import type { FocusSettings } from "@/lib/focus-import/settings-schema";
import type { ImportJobView } from "@/lib/formats/import-schemas";

const HEAD_BYTES = 256 * 1024;
const PREVIEW_ROWS = 50;
const focusKeys = { settings: ["focus-import", "settings"] as const, imports: ["imports"] as const };

/** The file's first bytes as CSV text: decompressed when it is gzip (the browser's DecompressionStream), the first
 * rows of a Parquet file (read in the browser with the import's own reader) written as CSV. */
async function headText(file: File): Promise<string> {
  const magic = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (magic[0] === 0x50 && magic[1] === 0x41 && magic[2] === 0x52 && magic[3] === 0x31) return parquetHead(file);
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return file.slice(0, HEAD_BYTES).text();
  const reader = file.stream().pipeThrough(new DecompressionStream("gzip")).pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (text.length < HEAD_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
  }
  await reader.cancel().catch(() => undefined);
  return text.slice(0, HEAD_BYTES);
}

async function parquetHead(file: File): Promise<string> {
  // Loaded on demand: the Parquet reader is only needed when a Parquet file is chosen.
  const [{ parquetRecords }, { stringify }] = await Promise.all([import("@/lib/focus-import/parquet"), import("csv-stringify/sync")]);
  const records = [];
  try {
    for await (const group of parquetRecords({ byteLength: file.size, slice: (start, end) => file.slice(start, end).arrayBuffer() }, { rowEnd: PREVIEW_ROWS })) records.push(...group);
  } catch (error) {
    // The browser reads snappy and uncompressed Parquet only (no WebAssembly under the app's CSP); the import reads
    // gzip, zstd, brotli and LZ4 too, on the server.
    throw new Error(`Preview: ${(error as Error).message}. The import itself reads snappy, gzip, zstd, brotli and LZ4 Parquet on the server.`);
  }
  const header = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return stringify([header, ...records.map((r) => header.map((h) => r[h] ?? ""))], { record_delimiter: "\n" });
}

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);
const list = (text: string) => text.split(",").map((l) => l.trim()).filter(Boolean);

type Row = FocusPreview["rows"][number];
const columns: Column<Row>[] = [
  { id: "row", header: "Row", type: "number", value: (r) => r.row },
  { id: "status", header: "Result", value: (r) => (r.status === "import" ? "imported" : r.status === "skipped" ? "skipped (not AI)" : "error") },
  { id: "service", header: "Service", value: (r) => r.service ?? null },
  { id: "agent", header: "Agent", value: (r) => r.agent ?? null },
  { id: "department", header: "Department", value: (r) => (r.department ? `${r.department}${r.departmentKnown === false ? " (unknown)" : ""}` : null) },
  { id: "customer", header: "Customer", value: (r) => r.customer ?? null },
  { id: "cost", header: "Cost", value: (r) => (r.cost ? `${r.cost} ${r.currency}` : null) },
  { id: "events", header: "Daily events", type: "number", value: (r) => r.events ?? null },
  { id: "error", header: "Error", value: (r) => r.error ?? null },
];

function SettingsForm({ settings, onChange }: { settings: FocusSettings; onChange: (s: FocusSettings) => void }) {
  return (
    <fieldset className={cn(cardClass, "grid max-w-3xl grid-cols-1 gap-3 sm:grid-cols-2")}>
      <legend className="font-semibold">FOCUS import settings</legend>
      <Field label="Cost column" hint="EffectiveCost: amortized after discounts and commitments (what was consumed; purchases are not counted again). BilledCost: what the invoice says, purchases when bought.">
        <Select value={settings.costColumn} onChange={(e) => onChange({ ...settings, costColumn: e.target.value as FocusSettings["costColumn"] })}>
          <option value="EffectiveCost">EffectiveCost</option>
          <option value="BilledCost">BilledCost</option>
        </Select>
      </Field>
      <label className="flex items-center gap-2 self-end font-medium">
        <input type="checkbox" checked={settings.filter.all} onChange={(e) => onChange({ ...settings, filter: { ...settings.filter, all: e.target.checked } })} />
        Import every row (not only AI spend)
      </label>
      <Field label="AI service categories (one per line)">
        <Textarea rows={2} value={settings.filter.categories.join("\n")} onChange={(e) => onChange({ ...settings, filter: { ...settings.filter, categories: lines(e.target.value) } })} />
      </Field>
      <Field label="AI service names (one per line, * = any text)">
        <Textarea rows={6} value={settings.filter.services.join("\n")} onChange={(e) => onChange({ ...settings, filter: { ...settings.filter, services: lines(e.target.value) } })} />
      </Field>
      <Field label="Agent from (first with a value)" hint="Columns or tag:<key>, comma-separated">
        <Input value={settings.agent.sources.join(", ")} onChange={(e) => onChange({ ...settings, agent: { sources: list(e.target.value) } })} />
      </Field>
      <Field label="Department from" hint="e.g. tag:cost-center, x_CostCenterCode">
        <Input value={settings.department.sources.join(", ")} onChange={(e) => onChange({ ...settings, department: { ...settings.department, sources: list(e.target.value) } })} />
      </Field>
      <Field label="Customer from">
        <Input value={settings.customer.sources.join(", ")} onChange={(e) => onChange({ ...settings, customer: { ...settings.customer, sources: list(e.target.value) } })} />
      </Field>
    </fieldset>
  );
}

export function FocusImport() {
  const client = useQueryClient();
  const saved = useQuery({ queryKey: focusKeys.settings, queryFn: ({ signal }) => apiFetch<FocusSettings>("/api/v1/settings/focus-import", { signal }) });
  const [edited, setEdited] = useState<FocusSettings | null>(null);
  const settings = edited ?? saved.data ?? null;
  const [file, setFile] = useState<File | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);

  const save = useMutation({
    meta: { success: "FOCUS import settings saved" },
    mutationFn: (s: FocusSettings) => apiFetch<FocusSettings>("/api/v1/settings/focus-import", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(s) }),
    onSuccess: () => {
      setEdited(null);
      return client.invalidateQueries({ queryKey: focusKeys.settings });
    },
  });
  const preview = useMutation({
    mutationFn: async (f: File) =>
      apiFetch<FocusPreview>("/api/v1/imports/focus-preview", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ csv: await headText(f), ...(settings ? { settings } : {}) }) }),
  });
  const upload = useMutation({
    meta: { success: "FOCUS import queued", error: "Import refused" },
    mutationFn: async (f: File) => {
      const params = new URLSearchParams({ fileName: f.name, format: "focus" });
      const res = await fetch(`/api/v1/imports?${params}`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: f });
      const body = await res.json();
      if (!res.ok) throw new ApiClientError(res.status, body?.error?.message ?? `Import failed (${res.status})`);
      return body as ImportJobView;
    },
    onSuccess: (job) => setJobId(job.id),
  });
  const progress = useQuery({
    queryKey: [...focusKeys.imports, jobId],
    enabled: jobId !== null,
    queryFn: async ({ signal }) => (await apiFetch<{ imports: ImportJobView[] }>("/api/v1/imports", { signal })).imports.find((i) => i.id === jobId) ?? null,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === "succeeded" || q.state.data.status === "failed") ? false : 2_000),
  });
  const job = progress.data ?? upload.data;

  return (
    <div className="space-y-4 text-sm">
      {settings && <SettingsForm settings={settings} onChange={setEdited} />}
      {edited && (
        <Button size="sm" variant="secondary" disabled={save.isPending} onClick={() => save.mutate(edited)}>
          Save settings
        </Button>
      )}
      <input type="file" accept=".csv,.gz,.parquet,text/csv,application/gzip,application/vnd.apache.parquet" aria-label="FOCUS file to import" onChange={(e) => {
        const f = e.target.files?.[0] ?? null;
        setFile(f);
        upload.reset();
        setJobId(null);
        if (f) preview.mutate(f);
      }} />
      {file && (
        <Button size="sm" variant="secondary" disabled={preview.isPending} onClick={() => preview.mutate(file)}>
          Preview with these settings
        </Button>
      )}
      {preview.isError && <p role="alert" className="text-danger">{preview.error.message}</p>}
      {preview.data && <DataTable title={`How the first rows of ${file?.name ?? "the file"} map`} columns={columns} rows={preview.data.rows} rowKey={(r) => String(r.row)} search={false} />}
      {file && (
        <Button size="sm" disabled={upload.isPending || !!edited} onClick={() => upload.mutate(file)} title={edited ? "Save the settings first" : undefined}>
          {upload.isPending ? "Uploading…" : `Import ${file.name}`}
        </Button>
      )}
      {upload.isError && <p role="alert" className="text-danger">{upload.error.message}</p>}
      {job && (
        <Card role="status">
          {job.status}: {job.rows} rows read ({job.bytesTotal ? Math.round((100 * job.bytesRead) / job.bytesTotal) : 0} % of the file), {job.accepted} events imported, {job.skipped} rows not AI, {job.duplicates} duplicates, {job.reversed} reversed by restatement, {job.rejected} rejected.
          {job.error && <span className="ml-2 text-danger">{job.error}</span>}
          {job.rejected > 0 && <a className="ml-2 underline" href={job.errorReportUrl}>Download the error report (CSV)</a>}
        </Card>
      )}
    </div>
  );
}
