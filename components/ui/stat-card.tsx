import Link from "next/link";
import { formatPercent } from "@/lib/format";

/** A headline figure; `href` links to the records behind it (the events explorer). */
export function StatCard({ label, value, delta, testId, href }: { label: string; value: string; delta?: number | null; testId?: string; href?: string }) {
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
      {href && (
        <Link href={href} className="mt-1 inline-block text-xs text-indigo-700 hover:underline" aria-label={`Events behind ${label.toLowerCase()}`}>
          View events →
        </Link>
      )}
    </div>
  );
}
