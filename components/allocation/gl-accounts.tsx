"use client";
// GL mapping for the chargeback journal: each department's expense account and cost-center code, and the offset
// account the charged total is credited to. Validated with the API's schema before saving.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Field, Input } from "@/components/ui/field";
import { ErrorState, Loading } from "@/components/ui/states";
import { glMappingUpdate, type GlMappingResponse } from "@/lib/allocation/schemas";
import { useGlMapping, useSaveGlMapping } from "./queries";

type Row = GlMappingResponse["departments"][number];

function GlForm({ initial }: { initial: GlMappingResponse }) {
  const save = useSaveGlMapping();
  const [offset, setOffset] = useState(initial.offsetAccount ?? "");
  const [rows, setRows] = useState<Row[]>(initial.departments);
  const input = {
    offsetAccount: offset.trim() || null,
    departments: rows.map((r) => ({ code: r.code, glAccount: r.glAccount?.trim() || null, costCenterCode: r.costCenterCode?.trim() || null })),
  };
  const parsed = glMappingUpdate.safeParse(input);
  const issues = new Map(parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join("."), i.message]));
  const setRow = (code: string, patch: Partial<Row>) => setRows((all) => all.map((r) => (r.code === code ? { ...r, ...patch } : r)));
  const index = (code: string) => rows.findIndex((r) => r.code === code);
  return (
    <form
      aria-label="GL accounts"
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        if (parsed.success) await save.mutateAsync(parsed.data);
      }}
    >
      <Card className="p-4">
        <Field label="Offset account" hint="Credited with what departments are charged (where the AI spend was booked before chargeback)" error={issues.get("offsetAccount")}>
          <Input value={offset} onChange={(e) => setOffset(e.target.value)} className="max-w-xs" />
        </Field>
      </Card>
      <DataTable
        title="Department accounts"
        rows={rows}
        rowKey={(r) => r.code}
        pageSize={200}
        columns={[
          { id: "department", header: "Department", value: (r) => `${r.name} (${r.code})` },
          {
            id: "gl", header: "GL account", csv: false,
            cell: (r) => (
              <Field label={<span className="sr-only">GL account for {r.code}</span>} error={issues.get(`departments.${index(r.code)}.glAccount`)}>
                <Input value={r.glAccount ?? ""} onChange={(e) => setRow(r.code, { glAccount: e.target.value })} className="w-36" />
              </Field>
            ),
          },
          {
            id: "cc", header: "Cost-center code", csv: false,
            cell: (r) => (
              <Field label={<span className="sr-only">Cost-center code for {r.code}</span>} error={issues.get(`departments.${index(r.code)}.costCenterCode`)}>
                <Input value={r.costCenterCode ?? ""} onChange={(e) => setRow(r.code, { costCenterCode: e.target.value })} className="w-36" placeholder={r.code} />
              </Field>
            ),
          },
        ]}
      />
      <Button type="submit" disabled={!parsed.success || save.isPending}>Save GL accounts</Button>
    </form>
  );
}

export function GlAccounts() {
  const query = useGlMapping();
  if (query.isPending) return <Loading what="GL accounts" />;
  if (query.isError) return <ErrorState error={query.error} />;
  return <GlForm key={JSON.stringify(query.data)} initial={query.data} />;
}
