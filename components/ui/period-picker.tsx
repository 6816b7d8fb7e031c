"use client";
// Period presets and custom dates, kept in the URL (?from=&to=) so a view can be shared.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { MAX_HOURLY_DAYS } from "@/lib/api/limits";

const presets = [
  { label: "Last 7 days", days: 7 },
  { label: "Last 30 days", days: 30 },
  { label: "Last 90 days", days: 90 },
];

function isoDay(date: Date) {
  return date.toISOString().slice(0, 10);
}

export function PeriodPicker({ from, to, today }: { from: string; to: string; today: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();

  function apply(next: { from: string; to: string }) {
    const search = new URLSearchParams(params.toString());
    search.set("from", next.from);
    search.set("to", next.to);
    // Hourly series are limited to a month: a longer period switches to daily rather than asking for a refused range.
    if (search.get("granularity") === "hour" && (Date.parse(next.to) - Date.parse(next.from)) / 86_400_000 + 1 > MAX_HOURLY_DAYS) search.set("granularity", "day");
    router.push(`${pathname}?${search.toString()}`);
  }

  function preset(days: number) {
    const end = new Date(`${today}T00:00:00Z`);
    const start = new Date(end.getTime() - (days - 1) * 86_400_000);
    apply({ from: isoDay(start), to: today });
  }

  return (
    <div className="flex flex-wrap items-end gap-2" role="group" aria-label="Period">
      {presets.map((p) => (
        <button key={p.days} type="button" onClick={() => preset(p.days)} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100">
          {p.label}
        </button>
      ))}
      <label className="text-xs text-slate-600">
        From
        <input type="date" aria-label="From" value={from} max={to} onChange={(e) => e.target.value && apply({ from: e.target.value, to })} className="ml-1 rounded-md border border-slate-300 px-2 py-1 text-sm" />
      </label>
      <label className="text-xs text-slate-600">
        To
        <input type="date" aria-label="To" value={to} min={from} onChange={(e) => e.target.value && apply({ from, to: e.target.value })} className="ml-1 rounded-md border border-slate-300 px-2 py-1 text-sm" />
      </label>
    </div>
  );
}
