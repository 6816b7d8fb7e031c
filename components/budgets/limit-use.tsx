"use client";
// Current use vs budget limit (Allocation, the agent page): the limits that apply now, each with its period's spend,
// a bar against its hard level (else its soft level), and what a budget check would answer. Nothing when no limit applies.
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { budgetUseList } from "@/lib/budgets/schemas";
import { formatMoney } from "@/lib/format";
import type { z } from "zod";

type BudgetUseList = z.infer<typeof budgetUseList>;
type Use = BudgetUseList["items"][number];

const LEVEL = { ok: { tone: "success", label: "within" }, soft: { tone: "warning", label: "over soft" }, hard: { tone: "danger", label: "denied" } } as const;

export function BudgetLimitUse({ agent, department }: { agent?: string; department?: string }) {
  const params = new URLSearchParams({ ...(agent ? { agent } : {}), ...(department ? { department } : {}) });
  const query = useQuery({
    queryKey: ["budget-limits", "use", params.toString()],
    queryFn: ({ signal }) => apiFetch<BudgetUseList>(`/api/v1/budget-limits/use?${params}`, { signal }),
  });
  const data = query.data;
  if (!data || (data.items.length === 0 && data.hidden === 0)) return null;
  const money = (v: string | null) => (v === null ? "—" : formatMoney(v, data.currency));
  const percent = (u: Use) => (u.usedPercent === null ? null : Number(u.usedPercent));
  return (
    <DataTable<Use>
      title="Budget limits now"
      description={`Spend in each limit's current period (organization time zone), as a budget check sees it.${data.hidden ? ` ${data.hidden} limit${data.hidden === 1 ? "" : "s"} of parent departments outside your departments also appl${data.hidden === 1 ? "ies" : "y"}.` : ""}`}
      csvName={agent ? `${agent}-budget-limits.csv` : "budget-limits.csv"}
      rows={data.items}
      rowKey={(u) => `${u.scope}:${u.target}:${u.period}:${u.id ?? "budget"}`}
      rowTestId={(u) => `budget-use-${u.target}-${u.period}`}
      empty="No limit of yours applies."
      columns={[
        { id: "target", header: "Limit on", value: (u) => `${u.scope === "agent" ? "agent" : "department"} ${u.target}`, cell: (u) => <>{u.scope === "agent" ? "Agent" : "Department"} {u.target}{u.tightest ? <Badge className="ml-2" tone="info">tightest</Badge> : null}</> },
        { id: "period", header: "Period", value: (u) => `${u.period} from ${u.periodStart}` },
        { id: "spent", header: "Spent", type: "money", currency: data.currency, value: (u) => u.spent },
        { id: "soft", header: "Soft", type: "money", currency: data.currency, value: (u) => u.soft, cell: (u) => (u.id === null ? `${money(u.soft)} (monthly budget)` : money(u.soft)) },
        { id: "hard", header: "Hard", type: "money", currency: data.currency, value: (u) => u.hard },
        {
          id: "used",
          header: "Used",
          type: "percent",
          value: (u) => (percent(u) === null ? null : percent(u)! / 100),
          cell: (u) => {
            const p = percent(u);
            if (p === null) return "—";
            return (
              <span className="flex items-center justify-end gap-2">
                <span aria-hidden className="h-2 w-20 overflow-hidden rounded bg-surface-muted">
                  <span className={`block h-full ${u.level === "hard" ? "bg-danger" : u.level === "soft" ? "bg-warning" : "bg-success"}`} style={{ width: `${Math.min(100, p)}%` }} />
                </span>
                {u.usedPercent} %
              </span>
            );
          },
        },
        { id: "level", header: "Now", value: (u) => LEVEL[u.level].label, cell: (u) => <Badge tone={LEVEL[u.level].tone}>{LEVEL[u.level].label}</Badge> },
      ]}
    />
  );
}
