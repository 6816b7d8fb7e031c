"use client";
// The ROI assumptions (task type baselines) next to the numbers; admins and finance can edit them in place.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatMoney } from "@/lib/format";
import { patchAssumption, roiKeys, type Assumption } from "./queries";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/field";

function AssumptionRow({ a, canEdit, currency }: { a: Assumption; canEdit: boolean; currency: string }) {
  const client = useQueryClient();
  const [minutes, setMinutes] = useState(a.baselineMinutes);
  const [rate, setRate] = useState(a.loadedHourlyCost);
  const save = useMutation({
    mutationFn: () => patchAssumption(a.taskType, { baselineMinutes: minutes, loadedHourlyCost: rate }),
    meta: { success: `Baseline for ${a.taskType} saved` },
    // Every ROI view depends on the baselines, whatever its filters.
    onSuccess: () => client.invalidateQueries({ queryKey: roiKeys.all }),
  });
  const changed = minutes !== a.baselineMinutes || rate !== a.loadedHourlyCost;
  return (
    <tr className="border-t border-border">
      <td className="px-2 py-1.5">{a.name}</td>
      {canEdit ? (
        <>
          <td className="px-2 py-1.5 text-right">
            <Input aria-label={`Baseline minutes for ${a.name}`} inputMode="decimal" value={minutes} onChange={(e) => setMinutes(e.target.value)} className="w-20 text-right tabular-nums" />
          </td>
          <td className="px-2 py-1.5 text-right">
            <Input aria-label={`Loaded hourly cost for ${a.name}`} inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} className="w-24 text-right tabular-nums" />
          </td>
          <td className="px-2 py-1.5 text-right">
            <Button size="sm" disabled={!changed || save.isPending} onClick={() => save.mutate()}>
              {save.isPending ? "Saving…" : "Save"}
            </Button>
            {save.isError && <div role="alert" className="text-xs text-danger">{save.error.message}</div>}
          </td>
        </>
      ) : (
        <>
          <td className="px-2 py-1.5 text-right tabular-nums">{a.baselineMinutes} min</td>
          <td className="px-2 py-1.5 text-right tabular-nums">{formatMoney(a.loadedHourlyCost, currency)}</td>
        </>
      )}
    </tr>
  );
}

export function Assumptions({ assumptions, method, canEdit, currency }: { assumptions: Assumption[]; method: string[]; canEdit: boolean; currency: string }) {
  return (
    <Card aria-label="Assumptions" tabIndex={0} className="overflow-x-auto">
      <h2 className="mb-2 font-medium">Assumptions{canEdit ? " (editable)" : ""}</h2>
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="px-2 py-1 font-normal">Task type</th>
            <th className="px-2 py-1 text-right font-normal">Human minutes per task</th>
            <th className="px-2 py-1 text-right font-normal">Loaded hourly cost</th>
            {canEdit && (
              // Named, so the Save cells have a header (Lighthouse / axe td-has-header).
              <th className="px-2 py-1">
                <span className="sr-only">Save</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {assumptions.map((a) => (
            // Keyed by the saved values, so a successful save resets the inputs to what the server stored.
            <AssumptionRow key={`${a.taskType}:${a.updatedAt}`} a={a} canEdit={canEdit} currency={currency} />
          ))}
        </tbody>
      </table>
      <ul className="mt-3 list-disc space-y-1 pl-5 text-xs text-muted-foreground">
        {method.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </Card>
  );
}
