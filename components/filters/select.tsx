"use client";
import { useUrlParams } from "./use-url-params";
import { Select } from "@/components/ui/field";

/** A view control (group by, granularity, metric) stored in one URL parameter. */
export function UrlSelect({ param, label, value, options }: { param: string; label: string; value: string; options: { key: string; label: string }[] }) {
  const url = useUrlParams();
  return (
    <label className="text-xs text-muted-foreground">
      {label}
      <Select aria-label={label} value={value} onChange={(e) => url.set({ [param]: e.target.value })} className="ml-1 block">
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </Select>
    </label>
  );
}
