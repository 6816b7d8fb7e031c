import Link from "next/link";
import { Button } from "./button";
import { cn } from "./cn";

export type EmptyAction = { href: string; label: string };

/**
 * The one empty state: what is missing and, when the viewer can act on it, what to do next.
 * Dashboards show it instead of empty charts.
 */
export function EmptyState({ title, children, actions = [], testId, className }: { title: string; children?: React.ReactNode; actions?: EmptyAction[]; testId?: string; className?: string }) {
  return (
    <section data-testid={testId} className={cn("rounded-card border border-dashed border-input bg-surface p-6 text-center text-sm text-muted-foreground", className)}>
      <p className="font-medium text-foreground">{title}</p>
      {children && <div className="mx-auto mt-1 max-w-prose">{children}</div>}
      {actions.length > 0 && (
        <div className="mt-4 flex flex-wrap justify-center gap-2">
          {actions.map((a, i) => (
            <Button key={a.href} asChild variant={i === 0 ? "primary" : "secondary"} size="sm">
              <Link href={a.href}>{a.label}</Link>
            </Button>
          ))}
        </div>
      )}
    </section>
  );
}
