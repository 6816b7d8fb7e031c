"use client";
// The ROI assumptions (task type baselines) next to the numbers; admins and finance can edit them in place.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Input } from "@/components/ui/field";
import { useConfirm } from "@/components/ui/confirm";
import { patchAssumption, resetAssumption, roiKeys, type Assumption } from "./queries";

function AssumptionEditor({ a }: { a: Assumption }) {
  const client = useQueryClient();
  const [minutes, setMinutes] = useState(a.baselineMinutes);
  const [rate, setRate] = useState(a.loadedHourlyCost);
  const confirm = useConfirm();
  const save = useMutation({
    mutationFn: () => patchAssumption(a.taskType, { baselineMinutes: minutes, loadedHourlyCost: rate }),
    meta: { success: `Baseline for ${a.taskType} saved` },
    // Every ROI view depends on the baselines, whatever its filters.
    onSuccess: () => client.invalidateQueries({ queryKey: roiKeys.all }),
  });
  const reset = useMutation({
    mutationFn: () => resetAssumption(a.taskType),
    meta: { success: `Official baseline of ${a.name} reset to its default`, error: "Could not reset" },
    onSuccess: () => client.invalidateQueries({ queryKey: roiKeys.all }),
  });
  const changed = minutes !== a.baselineMinutes || rate !== a.loadedHourlyCost;
  return (
    <span className="flex flex-wrap items-center justify-end gap-2">
      <Input aria-label={`Baseline minutes for ${a.name}`} inputMode="decimal" value={minutes} onChange={(e) => setMinutes(e.target.value)} className="h-8 w-20 text-right" />
      <Input aria-label={`Loaded hourly cost for ${a.name}`} inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} className="h-8 w-24 text-right" />
      <Button size="sm" disabled={!changed || save.isPending} onClick={() => save.mutate()}>
        {save.isPending ? "Saving…" : "Save"}
      </Button>
      <Button
        variant="link"
        size="sm"
        className="text-xs"
        disabled={reset.isPending}
        aria-label={`Reset ${a.name} to its default baseline`}
        onClick={async () => {
          if (await confirm({ title: `Reset the official baseline of ${a.name}?`, description: "Everyone's ROI figures change to the task type's default baseline. The change is audited.", confirmLabel: "Reset baseline" })) reset.mutate();
        }}
      >
        Reset
      </Button>
      {save.isError && <span role="alert" className="text-xs text-danger">{save.error.message}</span>}
    </span>
  );
}

export function Assumptions({ assumptions, method, canEdit, currency }: { assumptions: Assumption[]; method: string[]; canEdit: boolean; currency: string }) {
  const columns: Column<Assumption>[] = [
    { id: "name", header: "Task type", value: (a) => a.name },
    { id: "baselineMinutes", header: "Human minutes per task", type: "number", digits: 2, value: (a) => a.baselineMinutes },
    { id: "loadedHourlyCost", header: "Loaded hourly cost", type: "money", currency, value: (a) => a.loadedHourlyCost },
    ...(canEdit ? [{ id: "edit", header: "Edit (minutes, hourly cost)", csv: false as const, cell: (a: Assumption) => <AssumptionEditor a={a} /> }] : []),
  ];
  return (
    <DataTable
      title="Assumptions"
      columns={columns}
      rows={assumptions}
      // Keyed by the saved values, so a successful save resets the inputs to what the server stored.
      rowKey={(a) => `${a.taskType}:${a.updatedAt}`}
      csvName="roi-assumptions.csv"
      empty="No task types yet."
      description={
        <ul className="list-disc space-y-1 pl-5">
          {canEdit && <li>Editable: change a task type&apos;s baseline and save; every ROI figure uses it at once.</li>}
          {method.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      }
    />
  );
}
