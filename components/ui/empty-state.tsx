import Link from "next/link";

export type EmptyAction = { href: string; label: string };

/**
 * The one empty state: what is missing and, when the viewer can act on it, what to do next.
 * Dashboards show it instead of empty charts.
 */
export function EmptyState({ title, children, actions = [], testId }: { title: string; children?: React.ReactNode; actions?: EmptyAction[]; testId?: string }) {
  return (
    <section data-testid={testId} className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
      <p className="font-medium text-slate-800">{title}</p>
      {children && <div className="mx-auto mt-1 max-w-prose text-slate-600">{children}</div>}
      {actions.length > 0 && (
        <div className="mt-4 flex flex-wrap justify-center gap-2">
          {actions.map((a, i) => (
            <Link
              key={a.href}
              href={a.href}
              className={
                i === 0
                  ? "rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700"
                  : "rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-100"
              }
            >
              {a.label}
            </Link>
          ))}
        </div>
      )}
    </section>
  );
}
