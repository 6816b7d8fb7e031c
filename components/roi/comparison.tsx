"use client";
// Official ROI and a what-if's side by side: the totals, then net savings and ROI per group.
import { formatMoney, formatNumber, formatPercent } from "@/lib/format";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { RoiResponse } from "./queries";

type Totals = RoiResponse["totals"];
type Line = { metric: string; type: "money" | "number" | "percent"; official: string | number | null; whatIf: string | number | null; testId: string };
type GroupRow = { key: string; label: string; officialNet: string | null; whatIfNet: string | null; officialRoi: number | null; whatIfRoi: number | null };

const difference = (a: string | number | null, b: string | number | null) => (a === null || b === null ? null : (Number(b) - Number(a)).toFixed(4));

export function RoiComparison({ official, whatIf }: { official: RoiResponse; whatIf: RoiResponse }) {
  const line = (metric: string, type: Line["type"], pick: (t: Totals) => string | number | null, testId: string): Line => ({ metric, type, official: pick(official.totals), whatIf: pick(whatIf.totals), testId });
  const lines: Line[] = [
    line("Hours saved", "number", (t) => t.hoursSaved, "hours"),
    line("Value of work done", "money", (t) => t.value, "value"),
    line("Agent cost", "money", (t) => t.cost, "cost"),
    line("Net savings", "money", (t) => t.net, "net"),
    line("ROI", "percent", (t) => t.roi, "roi"),
  ];
  const currency = official.currency;
  // A column's type formats every row alike, so each metric's cells format themselves here.
  const fmt = (l: Line, v: string | number | null) =>
    v === null ? "—" : l.type === "money" ? formatMoney(String(v), currency) : l.type === "percent" ? formatPercent(Number(v)) : formatNumber(String(v), 2);
  const columns: Column<Line>[] = [
    { id: "metric", header: "Total", value: (l) => l.metric },
    { id: "official", header: "Official", value: (l) => l.official, cell: (l) => <span data-testid={`official-${l.testId}`}>{fmt(l, l.official)}</span> },
    { id: "what-if", header: "What-if", value: (l) => l.whatIf, cell: (l) => <span data-testid={`whatif-${l.testId}`}>{fmt(l, l.whatIf)}</span> },
    { id: "difference", header: "Difference", value: (l) => difference(l.official, l.whatIf), cell: (l) => fmt(l, difference(l.official, l.whatIf)) },
  ];
  const byKey = new Map(whatIf.rows.map((r) => [r.key, r]));
  const groups: GroupRow[] = official.rows.map((r) => ({ key: r.key, label: r.label, officialNet: r.net, whatIfNet: byKey.get(r.key)?.net ?? null, officialRoi: r.roi, whatIfRoi: byKey.get(r.key)?.roi ?? null }));
  const groupColumns: Column<GroupRow>[] = [
    { id: "label", header: "Group", value: (g) => g.label },
    { id: "official-net", header: "Official net", type: "money", currency, value: (g) => g.officialNet },
    { id: "what-if-net", header: "What-if net", type: "money", currency, value: (g) => g.whatIfNet },
    { id: "official-roi", header: "Official ROI", type: "percent", value: (g) => g.officialRoi },
    { id: "what-if-roi", header: "What-if ROI", type: "percent", value: (g) => g.whatIfRoi },
  ];
  return (
    <div className="mt-4 space-y-4">
      <DataTable title="Official vs what-if" columns={columns} rows={lines} rowKey={(l) => l.testId} search={false} csvName={`roi-what-if-${official.from}-${official.to}.csv`} />
      <DataTable title={`By ${official.groupBy.replace("_", " ")}`} columns={groupColumns} rows={groups} rowKey={(g) => g.key} csvName={`roi-what-if-by-${official.groupBy}.csv`} />
    </div>
  );
}
