"use client";
// A department's monthly budget and its alert ladder: percent of spend or of the month-end forecast. Without a
// ladder of its own the department uses the default one, which the editor starts from.
import { useState } from "react";
import { apiFieldErrors, fieldErrors, type FieldErrors } from "@/components/forms/field-errors";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { DEFAULT_THRESHOLDS, type Threshold } from "@/lib/alerts/detect";
import { budgetUpdate, type DepartmentResponse } from "@/lib/allocation/schemas";
import { formatMoney } from "@/lib/format";
import { useSetBudget } from "./queries";

type Step = { basis: Threshold["basis"]; percent: string };

const toSteps = (ts: readonly Threshold[]): Step[] => ts.map((t) => ({ basis: t.basis, percent: String(t.percent) }));
const isDefault = (steps: Step[]) => JSON.stringify(steps) === JSON.stringify(toSteps(DEFAULT_THRESHOLDS));

export function ThresholdEditor({ department, currency }: { department: DepartmentResponse; currency: string }) {
  const save = useSetBudget();
  const [budget, setBudget] = useState(department.monthlyBudget ?? "");
  const [steps, setSteps] = useState<Step[]>(toSteps(department.thresholds.length ? department.thresholds : DEFAULT_THRESHOLDS));
  const [errors, setErrors] = useState<FieldErrors>({});
  const shown = { ...apiFieldErrors(save.error), ...errors };
  // A step's own error shows beside it; the list-level line is for the list (duplicates, too many), not a repeat.
  const stepError = steps.some((_, i) => shown[`thresholds.${i}.percent`]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    // The default ladder is stored as "none of its own", so a later change of the default reaches it.
    const value = {
      monthlyBudget: budget.trim() || null,
      thresholds: isDefault(steps) ? [] : steps.map((s) => ({ basis: s.basis, percent: s.percent.trim() === "" ? NaN : Number(s.percent) })),
    };
    const found = fieldErrors(budgetUpdate, value);
    const keys = value.thresholds.map((t) => `${t.basis}:${t.percent}`);
    if (new Set(keys).size !== keys.length) found.thresholds ??= "lists a threshold more than once";
    setErrors(found);
    if (Object.keys(found).length === 0) save.mutate({ code: department.code, ...value });
  };
  const change = (i: number, patch: Partial<Step>) => setSteps(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const amount = (s: Step) => (budget && Number(s.percent) > 0 && !Number.isNaN(Number(budget)) ? formatMoney((Number(budget) * Number(s.percent) / 100).toFixed(2), currency) : "—");

  return (
    <form aria-label={`Budget and thresholds of ${department.code}`} className="space-y-4" onSubmit={submit} noValidate>
      <Field label="Monthly budget" error={shown.monthlyBudget} hint="Empty: no budget, no budget alerts">
        <Input inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} className="w-40" />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Alert thresholds {isDefault(steps) && <span className="font-normal text-muted-foreground">(the default ladder)</span>}</legend>
        {steps.map((s, i) => (
          <div key={i} className="flex flex-wrap items-end gap-2" data-testid={`threshold-${i}`}>
            <Field label={`Threshold ${i + 1} percent`} error={shown[`thresholds.${i}.percent`]}>
              <Input inputMode="numeric" value={s.percent} onChange={(e) => change(i, { percent: e.target.value })} className="w-24" />
            </Field>
            <Field label={`Threshold ${i + 1} of`}>
              <Select value={s.basis} onChange={(e) => change(i, { basis: e.target.value as Step["basis"] })}>
                <option value="spend">spend so far</option>
                <option value="forecast">month-end forecast</option>
              </Select>
            </Field>
            <span className="pb-2 text-sm text-muted-foreground tabular-nums">at {amount(s)}</span>
            <Button variant="danger-link" className="pb-2" onClick={() => setSteps(steps.filter((_, j) => j !== i))} aria-label={`Remove threshold ${i + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        {shown.thresholds && !stepError && <p className="text-xs text-danger">{shown.thresholds}</p>}
        <div className="flex gap-2">
          <Button variant="secondary" size="sm" onClick={() => setSteps([...steps, { basis: "spend", percent: "" }])}>Add threshold</Button>
          <Button variant="ghost" size="sm" onClick={() => setSteps(toSteps(DEFAULT_THRESHOLDS))}>Reset to the default ladder</Button>
        </div>
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" disabled={save.isPending}>Save budget and thresholds</Button>
      </div>
    </form>
  );
}
