"use client";
// Stacked area or bar chart of prepared rows; clicking a series (or its legend entry) drills into it.
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis, type LegendPayload } from "recharts";
import { colorFor, PREVIOUS_KEY, type ChartRow } from "./prepare";

export type ChartSeries = { key: string; label: string };

export function StackedChart({ rows, series, kind, format, onSelect, label, previousLabel }: {
  rows: ChartRow[];
  series: ChartSeries[];
  kind: "area" | "bar";
  format: (value: number) => string;
  onSelect?: (key: string) => void;
  label: string;
  previousLabel?: string;
}) {
  const select = onSelect ? (key: string) => key !== PREVIOUS_KEY && onSelect(key) : undefined;
  const legendClick = (entry: LegendPayload) => select?.(String(entry.dataKey));
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" fontSize={12} minTickGap={16} />
      <YAxis tickFormatter={format} fontSize={12} width={80} />
      <Tooltip formatter={(v) => format(Number(v))} />
      <Legend onClick={legendClick} wrapperStyle={{ cursor: onSelect ? "pointer" : undefined, fontSize: 12 }} />
    </>
  );
  const previous = previousLabel ? (
    <Line type="monotone" dataKey={PREVIOUS_KEY} name={previousLabel} stroke="#475569" strokeDasharray="5 4" dot={false} isAnimationActive={false} />
  ) : null;
  return (
    <div className="h-80" role="img" aria-label={label} data-testid="chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          {axes}
          {series.map((s, i) => {
            const common = { dataKey: s.key, name: s.label, stackId: "a", isAnimationActive: false, onClick: () => select?.(s.key), cursor: onSelect ? "pointer" : undefined };
            return kind === "bar" ? (
              <Bar key={s.key} {...common} fill={colorFor(s.key, i)} />
            ) : (
              <Area key={s.key} {...common} type="monotone" stroke={colorFor(s.key, i)} fill={colorFor(s.key, i)} fillOpacity={0.6} />
            );
          })}
          {previous}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
