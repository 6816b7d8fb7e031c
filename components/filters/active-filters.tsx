"use client";
// The active filters as removable chips ("breadcrumbs" of a drill-down): each names the filter and its value and
// removes it on click (the filter bar's "Clear filters" removes them all).
import { isFilterParam } from "@/components/charts/drill";
import { useUrlParams } from "./use-url-params";

const NAMES: Record<string, string> = {
  department: "Department",
  agent: "Agent",
  model: "Model",
  customer: "Customer",
  type: "Event type",
  taskType: "Task type",
  handledBy: "Handled by",
};

/** `labels[param]` maps a key to its display name (e.g. an agent key to its name); unknown keys show as they are. */
export function ActiveFilters({ labels = {} }: { labels?: Record<string, Record<string, string>> }) {
  const url = useUrlParams();
  const active = [...url.params.entries()].filter(([key, value]) => isFilterParam(key) && value !== "");
  if (active.length === 0) return null;
  return (
    <nav aria-label="Active filters" className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-muted-foreground">Filtered by</span>
      {active.map(([key, value]) => {
        const name = NAMES[key] ?? key.replace(/^property:/, "");
        const shown = value
          .split(",")
          .map((v) => labels[key]?.[v] ?? v)
          .join(", ");
        return (
          <button
            key={key}
            type="button"
            onClick={() => url.set({ [key]: null })}
            className="inline-flex items-center gap-1 rounded-full border border-border bg-accent px-2 py-0.5 text-accent-foreground hover:border-accent-foreground"
          >
            {/* The name comes from the content ("Remove filter Agent: Triage bot"), not aria-label, so a label query finds the select only. */}
            <span className="sr-only">Remove filter </span>
            <span>
              {name}: <strong className="font-medium">{shown}</strong>
            </span>
            <span aria-hidden>×</span>
          </button>
        );
      })}
    </nav>
  );
}
