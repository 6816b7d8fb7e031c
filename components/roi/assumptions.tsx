"use client";
// The ROI assumptions (task type baselines) next to the numbers; admins and finance can edit them in place.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatMoney } from "@/lib/format";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { patchAssumption, resetAssumption, roiKeys, type Assumption } from "./queries";

function AssumptionRow({ a, canEdit, currency }: { a: Assumption; canEdit: boolean; currency: string }) {
  const client = useQueryClient();
  const [minutes, setMinutes] = useState(a.baselineMinutes);
  const [rate, setRate] = useState(a.loadedHourlyCost);
  const confirm = useConfirm();
  const save = useMutation({
    mutationFn: () => patchAssumption(a.taskType, { baselineMinutes: minutes, loadedHourlyCost: rate }),
    meta: { success: `Official baseline of ${a.name} saved` },
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
    <tr className="border-t border-slate-100">
      <td className="px-2 py-1.5">{a.name}</td>
      {canEdit ? (
        <>
          <td className="px-2 py-1.5 text-right">
            <input aria-label={`Baseline minutes for ${a.name}`} inputMode="decimal" value={minutes} onChange={(e) => setMinutes(e.target.value)} className="w-20 rounded border border-slate-300 px-1 text-right" />
          </td>
          <td className="px-2 py-1.5 text-right">
            <input aria-label={`Loaded hourly cost for ${a.name}`} inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} className="w-24 rounded border border-slate-300 px-1 text-right" />
          </td>
          <td className="px-2 py-1.5 text-right">
            <button type="button" disabled={!changed || save.isPending} onClick={() => save.mutate()} className="rounded bg-indigo-600 px-2 py-0.5 text-xs text-white disabled:opacity-40">
              {save.isPending ? "Saving…" : "Save"}
            </button>
            <Button
              variant="link"
              size="sm"
              className="ml-2 text-xs"
              disabled={reset.isPending}
              aria-label={`Reset ${a.name} to its default baseline`}
              onClick={async () => {
                if (await confirm({ title: `Reset the official baseline of ${a.name}?`, description: "Everyone's ROI figures change to the task type's default baseline. The change is audited.", confirmLabel: "Reset baseline" })) reset.mutate();
              }}
            >
              Reset
            </Button>
            {save.isError && <div role="alert" className="text-xs text-rose-700">{save.error.message}</div>}
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
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Assumptions">
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
      <ul className="mt-3 list-disc space-y-1 pl-5 text-xs text-slate-600">
        {method.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </section>
  );
}
