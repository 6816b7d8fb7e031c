import { formatPercent } from "@/lib/format";

export function StatCard({ label, value, delta, testId }: { label: string; value: string; delta?: number | null; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="text-sm text-slate-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      {delta !== undefined && (
        <div className={`mt-1 text-xs ${delta === null ? "text-slate-500" : delta >= 0 ? "text-emerald-700" : "text-rose-700"}`}>
          {delta === null ? "no previous data" : `${delta >= 0 ? "▲" : "▼"} ${formatPercent(Math.abs(delta))} vs previous period`}
        </div>
      )}
    </div>
  );
}
