"use client";
// Global filters (department, agent, model, customer, type, task type, provider, promoted dimensions), kept in the URL.
import { isFilterParam } from "@/components/charts/drill";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import { ActiveFilters } from "./active-filters";
import { useUrlParams } from "./use-url-params";

export type Option = { key: string; label: string };
export type FilterOptions = {
  departments: Option[];
  agents: Option[];
  models: Option[];
  customers: Option[];
  types: Option[];
  taskTypes: Option[];
  providers: Option[];
  dimensions: string[];
};

const FILTERS = [
  { param: "department", label: "Department", options: (o: FilterOptions) => o.departments },
  { param: "agent", label: "Agent", options: (o: FilterOptions) => o.agents },
  { param: "model", label: "Model", options: (o: FilterOptions) => o.models },
  { param: "customer", label: "Customer", options: (o: FilterOptions) => o.customers },
  { param: "type", label: "Event type", options: (o: FilterOptions) => o.types },
  { param: "taskType", label: "Task type", options: (o: FilterOptions) => o.taskTypes },
  { param: "provider", label: "Provider", options: (o: FilterOptions) => o.providers },
] as const;

export function FilterBar({ options, hide = [] }: { options: FilterOptions; hide?: string[] }) {
  const url = useUrlParams();
  const active = [...url.params.keys()].some(isFilterParam);
  const labels = Object.fromEntries(FILTERS.map((f) => [f.param, Object.fromEntries(f.options(options).map((o) => [o.key, o.label]))]));
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Filters">
        {FILTERS.filter((f) => !hide.includes(f.param)).map((f) => {
          const value = url.get(f.param);
          const choices = f.options(options);
          return (
            <label key={f.param} className="text-xs text-muted-foreground">
              {f.label}
              <Select
                aria-label={f.label}
                value={value}
                onChange={(e) => url.set({ [f.param]: e.target.value })}
                className="block max-w-48"
              >
                <option value="">All</option>
                {/* A value from a shared link that is not in the list still shows (and simply matches nothing). */}
                {value && !choices.some((c) => c.key === value) && <option value={value}>{value}</option>}
                {choices.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.label}
                  </option>
                ))}
              </Select>
            </label>
          );
        })}
        {options.dimensions.map((d) => (
          <label key={d} className="text-xs text-muted-foreground">
            {d}
            <Input
              aria-label={`Property ${d}`}
              defaultValue={url.get(`property:${d}`)}
              placeholder="any"
              onKeyDown={(e) => e.key === "Enter" && url.set({ [`property:${d}`]: e.currentTarget.value.trim() })}
              onBlur={(e) => e.target.value.trim() !== url.get(`property:${d}`) && url.set({ [`property:${d}`]: e.target.value.trim() })}
              className="block w-28"
            />
          </label>
        ))}
        {active && (
          <Button variant="link" className="pb-2" onClick={() => url.set(Object.fromEntries([...url.params.keys()].filter(isFilterParam).map((k) => [k, null])))}>
            Clear filters
          </Button>
        )}
      </div>
      <ActiveFilters labels={labels} />
    </div>
  );
}
