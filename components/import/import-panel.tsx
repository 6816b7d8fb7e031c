"use client";
// File import: preview the first rows, map CSV columns to event fields, upload (the browser streams the file).
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ApiClientError } from "@/components/api-client";
import { MAPPABLE_FIELDS, defaultMapping } from "@/lib/formats/csv";
import type { ImportJobView } from "@/lib/formats/import-schemas";
import { Button } from "@/components/ui/button";
import { Card, cardClass } from "@/components/ui/card";
import { Select } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

const PREVIEW_BYTES = 64 * 1024;

/** Naive split for the preview only; the server parses with a real CSV parser. */
function previewRows(text: string, csv: boolean): string[][] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "").slice(0, 11);
  if (!csv) return lines.slice(0, 10).map((l) => [l]);
  return lines.map((l) => l.split(","));
}

function withColumn(mapping: Record<string, string>, field: string, column: string): Record<string, string> {
  const next = { ...mapping };
  if (column) next[field] = column;
  else delete next[field];
  return next;
}

export function ImportPanel() {
  const [file, setFile] = useState<File | null>(null);
  const [rows, setRows] = useState<string[][]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const csv = file ? /\.csv$/i.test(file.name) || file.type === "text/csv" : false;

  async function choose(f: File | null) {
    setFile(f);
    upload.reset();
    if (!f) return setRows([]);
    const isCsv = /\.csv$/i.test(f.name) || f.type === "text/csv";
    const preview = previewRows(await f.slice(0, PREVIEW_BYTES).text(), isCsv);
    setRows(preview);
    setMapping(isCsv && preview[0] ? defaultMapping(preview[0]) : {});
  }

  const upload = useMutation({
    meta: { success: "Import started", error: "Import refused" },
    mutationFn: async () => {
      const params = new URLSearchParams({ fileName: file!.name, format: csv ? "csv" : "ndjson" });
      if (csv) params.set("mapping", JSON.stringify(mapping));
      const res = await fetch(`/api/v1/imports?${params}`, { method: "POST", headers: { "content-type": csv ? "text/csv" : "application/x-ndjson" }, body: file });
      const body = await res.json();
      if (!res.ok) throw new ApiClientError(res.status, body?.error?.message ?? `Import failed (${res.status})`);
      return body as ImportJobView;
    },
  });

  const header = csv ? rows[0] ?? [] : [];
  return (
    <div className="space-y-4 text-sm">
      <input type="file" accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson" aria-label="File to import" onChange={(e) => void choose(e.target.files?.[0] ?? null)} />
      {rows.length > 0 && (
        <div tabIndex={0} className="overflow-x-auto rounded-card border border-border bg-surface focus-visible:outline-2 focus-visible:outline-ring">
          <table className="text-xs">
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} className={i === 0 && csv ? "font-semibold" : ""}>
                  {r.map((cell, j) => <td key={j} className="border-t border-slate-100 px-2 py-1 whitespace-nowrap">{cell.slice(0, 80)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {csv && header.length > 0 && (
        <fieldset className={cn(cardClass, "grid max-w-2xl grid-cols-1 gap-2 sm:grid-cols-2")}>
          <legend className="font-semibold">Column mapping</legend>
          {MAPPABLE_FIELDS.map((field) => (
            <label key={field} className="flex items-center justify-between gap-2">
              <span className="font-mono">{field}</span>
              <Select value={mapping[field] ?? ""} onChange={(e) => setMapping((m) => withColumn(m, field, e.target.value))}>
                <option value="">—</option>
                {header.map((column) => <option key={column} value={column}>{column}</option>)}
              </Select>
            </label>
          ))}
        </fieldset>
      )}
      {file && (
        <Button size="sm" disabled={upload.isPending} onClick={() => upload.mutate()}>
          {upload.isPending ? "Importing…" : `Import ${file.name}`}
        </Button>
      )}
      {upload.isError && <p role="alert" className="text-danger">{upload.error.message}</p>}
      {upload.data && (
        <Card role="status">
          {upload.data.status}: {upload.data.rows} rows, {upload.data.accepted} imported, {upload.data.duplicates} duplicates, {upload.data.rejected} rejected.
          {upload.data.rejected > 0 && <a className="ml-2 underline" href={upload.data.errorReportUrl}>Download the error report (CSV)</a>}
        </Card>
      )}
    </div>
  );
}
