"use client";
import { useUrlParams } from "./use-url-params";

/** A view control (group by, granularity, metric) stored in one URL parameter. */
export function UrlSelect({ param, label, value, options }: { param: string; label: string; value: string; options: { key: string; label: string }[] }) {
  const url = useUrlParams();
  return (
    <label className="text-xs text-muted-foreground">
      {label}
      <select aria-label={label} value={value} onChange={(e) => url.set({ [param]: e.target.value })} className="ml-1 block rounded-md border border-input bg-surface px-2 py-1 text-sm">
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
