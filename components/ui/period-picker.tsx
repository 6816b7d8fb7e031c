"use client";
// Period presets (lib/periods.ts), previous/next and custom dates, kept in the URL (?from=&to=) — the source of truth,
// so a view can be shared. All days are the organization's local days (`today` is computed on the server in its zone).
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { MAX_HOURLY_DAYS } from "@/lib/api/limits";
import { PRESETS, activePresets, lengthOf, presetRange, stepPeriod, type DayRange } from "@/lib/periods";

export function PeriodPicker({ from, to, today, fiscalMonthStart = 1 }: { from: string; to: string; today: string; fiscalMonthStart?: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const range = { from, to };
  const active = activePresets(range, today, fiscalMonthStart);
  const previous = stepPeriod(range, -1, today, fiscalMonthStart);
  const next = stepPeriod(range, 1, today, fiscalMonthStart);

  function apply(r: DayRange) {
    const search = new URLSearchParams(params.toString());
    search.set("from", r.from);
    search.set("to", r.to);
    // Hourly series are limited to a month: a longer period switches to daily rather than asking for a refused range.
    if (search.get("granularity") === "hour" && lengthOf(r) > MAX_HOURLY_DAYS) search.set("granularity", "day");
    router.push(`${pathname}?${search.toString()}`);
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-1" role="group" aria-label="Period presets">
        {PRESETS.map((p) => (
          <Button key={p.key} size="sm" variant={active.includes(p.key) ? "primary" : "secondary"} aria-pressed={active.includes(p.key)} onClick={() => apply(presetRange(p.key, today, fiscalMonthStart))}>
            {p.label}
          </Button>
        ))}
      </div>
      <div className="flex flex-wrap items-center justify-end gap-2" role="group" aria-label="Period">
        <Button size="sm" variant="secondary" disabled={!previous} onClick={() => previous && apply(previous)} aria-label="Previous period" title={previous ? `${previous.from} to ${previous.to}` : undefined}>
          ‹ Previous
        </Button>
        <label className="text-xs text-muted-foreground">
          From
          <Input type="date" aria-label="From" value={from} max={to} onChange={(e) => e.target.value && apply({ from: e.target.value, to })} className="ml-1 h-8 py-1" />
        </label>
        <label className="text-xs text-muted-foreground">
          To
          <Input type="date" aria-label="To" value={to} min={from} onChange={(e) => e.target.value && apply({ from, to: e.target.value })} className="ml-1 h-8 py-1" />
        </label>
        <Button size="sm" variant="secondary" disabled={!next} onClick={() => next && apply(next)} aria-label="Next period" title={next ? `${next.from} to ${next.to}` : undefined}>
          Next ›
        </Button>
      </div>
    </div>
  );
}
