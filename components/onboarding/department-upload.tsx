"use client";
// CSV upload of departments: all rows are created or none, and every problem is listed with its line.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiClientError } from "@/components/api-client";
import { useImportDepartments } from "./queries";
import { Button } from "@/components/ui/button";

const example = "code,name,parent,monthly_budget\nOPS,Operations,,20000\nSUPPORT,Customer support,OPS,12000.50\n";

export function DepartmentUpload() {
  const router = useRouter();
  const upload = useImportDepartments();
  const [file, setFile] = useState<File | null>(null);
  const error = upload.error;
  return (
    <form
      aria-label="Import departments from CSV"
      className="space-y-2"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!file) return;
        upload.mutate(await file.text(), { onSuccess: () => router.refresh() });
      }}
    >
      <p className="text-sm text-muted-foreground">
        A CSV file with the header <code>code,name,parent,monthly_budget</code> (parent and budget may be empty; a parent is another row or an
        existing department). For example:
      </p>
      <pre tabIndex={0} aria-label="Example CSV" className="overflow-x-auto rounded bg-surface-muted p-2 text-xs">{example}</pre>
      <div className="flex flex-wrap items-center gap-2">
        <label className="text-sm">
          <span className="sr-only">Department CSV file</span>
          <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} className="text-sm" />
        </label>
        <Button variant="secondary" size="sm"
          type="submit"
          disabled={!file || upload.isPending}
        >
          {upload.isPending ? "Importing…" : "Import departments"}
        </Button>
      </div>
      {upload.isSuccess && (
        <p role="status" className="text-sm text-success">
          Created {upload.data.length} department{upload.data.length === 1 ? "" : "s"}: {upload.data.map((d) => d.code).join(", ")}.
        </p>
      )}
      {error && (
        <div role="alert" className="text-sm text-danger">
          <p>{error.message}</p>
          {error instanceof ApiClientError && error.details?.length ? (
            <ul className="list-disc pl-5">
              {error.details.map((d, i) => (
                <li key={i}>
                  {d.path}: {d.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
    </form>
  );
}
