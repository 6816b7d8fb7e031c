import { cn } from "./cn";

/**
 * The box a chart sits in: reachable with Tab and named, so a keyboard or screen-reader user lands on "Usage cost by
 * agent, figure" and can move on (the data itself is in the table next to every chart). Chart internals (tooltips,
 * clickable bars) are the chart components' own business.
 */
export function ChartFrame({ label, className, children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <figure tabIndex={0} aria-label={label} className={cn("m-0 rounded-control focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring", className)}>
      {children}
    </figure>
  );
}
