"use client";
// The period (a month in the organization's time zone) lives in the URL (?period=YYYY-MM) so a view can be shared.
// Previous/next step a month; "Last month" (the default where nothing is chosen) and "This month" are presets.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { lastCompleteMonth, stepMonth } from "@/lib/periods";

export function MonthPicker({ period, today, label = "Month" }: { period: string; today: string; label?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const go = (month: string) => {
    const search = new URLSearchParams(params.toString());
    search.set("period", month);
    router.push(`${pathname}?${search.toString()}`);
  };
  const previous = stepMonth(period, -1, today);
  const next = stepMonth(period, 1, today);
  const presets = [
    { label: "Last month", month: lastCompleteMonth(today) },
    { label: "This month", month: today.slice(0, 7) },
  ];
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label={label}>
      {presets.map((p) => (
        <Button key={p.label} size="sm" variant={p.month === period ? "primary" : "secondary"} aria-pressed={p.month === period} onClick={() => go(p.month)}>
          {p.label}
        </Button>
      ))}
      <Button size="sm" variant="secondary" disabled={!previous} aria-label="Previous month" onClick={() => previous && go(previous)}>
        ‹
      </Button>
      <label className="text-sm text-muted-foreground">
        {label}
        <Input type="month" aria-label={label} value={period} max={today.slice(0, 7)} onChange={(e) => e.target.value && go(e.target.value)} className="ml-2 h-8 py-1" />
      </label>
      <Button size="sm" variant="secondary" disabled={!next} aria-label="Next month" onClick={() => next && go(next)}>
        ›
      </Button>
    </div>
  );
}
