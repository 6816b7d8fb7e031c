"use client";
// Budget limits of one scope (departments or agents) on that admin page: add, change levels and fail mode, remove,
// with each limit's spend in its current period.
import type { Field } from "@/components/admin/entity-form";
import { useMutate } from "@/components/admin/queries";
import { ResourceAdmin } from "@/components/admin/resource-admin";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { budgetLimitCreate, budgetLimitUpdate, type BudgetLimitView } from "@/lib/budgets/schemas";
import { formatMoney } from "@/lib/format";

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

const levelFields: Field[] = [
  { name: "soft", label: "Soft level (warn, alert once)", type: "decimal", nullable: true },
  { name: "hard", label: "Hard level (deny)", type: "decimal", nullable: true },
  { name: "failMode", label: "Database unreachable > 60 s", type: "select", options: [{ value: "open", label: "open: allow" }, { value: "closed", label: "closed: deny" }] },
];

export function BudgetLimitsAdmin({ scope, targets, currency }: { scope: "department" | "agent"; targets: { value: string; label: string }[]; currency: string }) {
  const mutate = useMutate("budget-limits");
  const confirm = useConfirm();
  const money = (v: string | null) => (v === null ? null : formatMoney(v, currency));
  return (
    <ResourceAdmin<BudgetLimitView>
      resource="budget-limits"
      noun={`${scope} budget limit`}
      title={scope === "department" ? "Department budget limits" : "Agent budget limits"}
      filter={(l) => l.scope === scope}
      createSchema={budgetLimitCreate}
      createFields={[
        { name: "scope", label: "Applies to", type: "select", options: options([scope]) },
        { name: "target", label: scope === "department" ? "Department (its subdepartments included)" : "Agent", type: "select", options: targets },
        { name: "period", label: "Period (organization time zone)", type: "select", options: options(["month", "week", "day"]) },
        ...levelFields,
      ]}
      editSchema={budgetLimitUpdate}
      editFields={levelFields}
      columns={[
        { id: "target", header: scope === "department" ? "Department" : "Agent", value: (l) => l.target },
        { id: "period", header: "Period", value: (l) => `${l.period} from ${l.periodStart}` },
        { id: "spent", header: "Spent", value: (l) => l.spent, cell: (l) => money(l.spent) },
        { id: "soft", header: "Soft", value: (l) => l.effectiveSoft, cell: (l) => (l.soft === null && l.effectiveSoft !== null ? `${money(l.effectiveSoft)} (monthly budget)` : money(l.effectiveSoft)) },
        { id: "hard", header: "Hard", value: (l) => l.hard, cell: (l) => money(l.hard) },
        { id: "failMode", header: "Fail mode", value: (l) => l.failMode },
      ]}
      actions={(l) => (
        <Button
          variant="link"
          size="sm"
          onClick={async () => {
            if (await confirm({ title: `Remove the ${l.period} limit of ${l.target}?`, confirmLabel: "Remove", tone: "danger" })) {
              await mutate.mutateAsync({ method: "DELETE", path: l.id });
            }
          }}
        >
          Remove
        </Button>
      )}
    />
  );
}
