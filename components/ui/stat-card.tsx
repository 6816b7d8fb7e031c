import Link from "next/link";
import { TONE_CLASS, changeTone, formatPercent, type Tone } from "@/lib/format";
import { Card } from "./card";

/**
 * A headline figure. `upIs`: what a rise of this figure means (spend: "bad"), so every card colours changes the same
 * way; `href` links to the records behind it (the events explorer).
 */
export function StatCard({ label, value, delta, upIs = "neutral", title, testId, href }: { label: string; value: string; delta?: number | null; upIs?: Tone; title?: string; testId?: string; href?: string }) {
  return (
    <Card className="min-w-0">
      <div className="text-sm text-muted-foreground">{label}</div>
      <div className="mt-1 text-2xl font-semibold break-words tabular-nums" data-testid={testId} title={title}>
        {value}
      </div>
      {delta !== undefined && (
        <div className={`mt-1 text-xs ${delta === null ? "text-muted-foreground" : TONE_CLASS[changeTone(delta, upIs)]}`}>
          {delta === null ? "no previous data" : `${delta >= 0 ? "▲" : "▼"} ${formatPercent(Math.abs(delta))} vs previous period`}
        </div>
      )}
      {href && (
        <Link href={href} className="mt-1 inline-block text-xs text-accent-foreground hover:underline">
          {/* The accessible name starts with the visible text (WCAG 2.5.3 label in name), then says which figure. */}
          View events<span className="sr-only"> behind {label.toLowerCase()}</span> <span aria-hidden="true">→</span>
        </Link>
      )}
    </Card>
  );
}
