"use client";
import { useUrlParams } from "./use-url-params";

/** A view control (group by, granularity, metric) stored in one URL parameter. */
export function UrlSelect({ param, label, value, options }: { param: string; label: string; value: string; options: { key: string; label: string }[] }) {
  const url = useUrlParams();
  return (
    <label className="text-xs text-slate-600">
      {label}
      <select aria-label={label} value={value} onChange={(e) => url.set({ [param]: e.target.value })} className="ml-1 block rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
