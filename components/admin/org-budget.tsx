"use client";
// The organization's monthly budget and its alert ladder (percent of spend; 100 % of the month-end forecast is always
// alerted too, lib/alerts/evaluate.ts). Saved through PATCH /api/v1/settings, which audits the change and evaluates
// the alerts it implies at once. Without a ladder of its own the budget uses the default one, which the editor starts from.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { apiFieldErrors, fieldErrors, type FieldErrors } from "@/components/forms/field-errors";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { settingsUpdate } from "@/lib/admin/schemas";
import { DEFAULT_SPEND_PERCENTS } from "@/lib/alerts/detect";
import { formatMoney } from "@/lib/format";

const toSteps = (percents: readonly number[]) => percents.map(String);
const isDefault = (steps: string[]) => steps.join(",") === DEFAULT_SPEND_PERCENTS.join(",");

export function OrganizationBudget({ monthlyBudget, thresholds, currency }: { monthlyBudget: string | null; thresholds: number[]; currency: string }) {
  const router = useRouter();
  const [budget, setBudget] = useState(monthlyBudget ?? "");
  const [steps, setSteps] = useState(toSteps(thresholds.length ? thresholds : DEFAULT_SPEND_PERCENTS));
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: (body: { monthlyBudget: string | null; budgetThresholds: number[] }) => apiFetch("/api/v1/settings", { method: "PATCH", body: JSON.stringify(body) }),
    meta: { success: "Organization budget saved" },
    onSuccess: () => router.refresh(),
  });
  const shown = { ...apiFieldErrors(save.error), ...errors };
  const stepError = steps.some((_, i) => shown[`budgetThresholds.${i}`]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    // The default ladder is stored as "none of its own", so a later change of the default reaches it.
    const value = { monthlyBudget: budget.trim() || null, budgetThresholds: isDefault(steps) ? [] : steps.map((s) => (s.trim() === "" ? NaN : Number(s))) };
    const found = fieldErrors(settingsUpdate, value);
    setErrors(found);
    if (Object.keys(found).length === 0) save.mutate(value);
  };
  const amount = (s: string) => (budget && Number(s) > 0 && !Number.isNaN(Number(budget)) ? formatMoney(((Number(budget) * Number(s)) / 100).toFixed(2), currency) : "—");

  return (
    <Card>
      <form aria-label="Organization budget" className="space-y-4" onSubmit={submit} noValidate>
        <CardTitle>Organization budget</CardTitle>
        <p className="text-sm text-muted-foreground">
          Every department&apos;s spend together, per month in {currency}. Alerts go to the channels subscribed to budget alerts organization-wide, once per threshold crossed.
        </p>
        <Field label="Monthly budget" error={shown.monthlyBudget} hint="Empty: no organization budget, no organization budget alerts">
          <Input inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} className="w-40" />
        </Field>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">
            Alert at percent of spend {isDefault(steps) && <span className="font-normal text-muted-foreground">(the default ladder)</span>}
          </legend>
          {steps.map((s, i) => (
            <div key={i} className="flex flex-wrap items-end gap-2" data-testid={`org-threshold-${i}`}>
              <Field label={`Threshold ${i + 1} percent`} error={shown[`budgetThresholds.${i}`]}>
                <Input inputMode="numeric" value={s} onChange={(e) => setSteps(steps.map((v, j) => (j === i ? e.target.value : v)))} className="w-24" />
              </Field>
              <span className="pb-2 text-sm text-muted-foreground tabular-nums">at {amount(s)}</span>
              <Button variant="danger-link" className="pb-2" onClick={() => setSteps(steps.filter((_, j) => j !== i))} aria-label={`Remove threshold ${i + 1}`}>
                Remove
              </Button>
            </div>
          ))}
          {shown.budgetThresholds && !stepError && <p className="text-xs text-danger">{shown.budgetThresholds}</p>}
          <p className="text-xs text-muted-foreground">The month-end forecast reaching 100 % is always alerted as well.</p>
          <div className="flex gap-2">
            <Button variant="secondary" size="sm" onClick={() => setSteps([...steps, ""])}>
              Add threshold
            </Button>
            <Button variant="ghost" size="sm" onClick={() => setSteps(toSteps(DEFAULT_SPEND_PERCENTS))}>
              Reset to the default ladder
            </Button>
          </div>
        </fieldset>
        <div className="flex justify-end">
          <Button type="submit" disabled={save.isPending}>
            Save organization budget
          </Button>
        </div>
      </form>
    </Card>
  );
}
