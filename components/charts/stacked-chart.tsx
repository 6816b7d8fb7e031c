"use client";
// The one dashboard chart: stacked bars or areas of prepared rows. Clicking a bar or area, or pressing Enter on the
// point chosen with the arrow keys, calls `onActivate` (drill-down); the legend's buttons show and hide series
// and never navigate.
import { useRef, useState, type KeyboardEvent } from "react";
import { Area, Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { colorFor, PREVIOUS_KEY, type ChartRow } from "./prepare";

export type ChartSeries = { key: string; label: string };
/** A chosen point: the series and the row (bucket or category) it belongs to. */
export type ChartPoint = { series: string; row: ChartRow };

export function StackedChart({ rows, series, kind, format, onActivate, activateHint, label, previousLabel, height = "h-80" }: {
  rows: ChartRow[];
  series: ChartSeries[];
  kind: "area" | "bar";
  format: (value: number) => string;
  /** Drill-down for a point; without it the chart is read-only. */
  onActivate?: (point: ChartPoint) => void;
  /** What activating does, for screen readers and the keyboard hint (e.g. "filter to this agent"). */
  activateHint?: string;
  label: string;
  previousLabel?: string;
  height?: string;
}) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [focus, setFocus] = useState<{ row: number; series: number } | null>(null);
  // An area chart: a click reaches the area first, then the chart (which knows the hovered row); the area notes its
  // series here. A bar knows both itself.
  const clicked = useRef<string | null>(null);
  const visible = series.filter((s) => !hidden.has(s.key));
  const toggle = (key: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const point = focus && rows[focus.row] && visible[focus.series] ? { row: rows[focus.row]!, series: visible[focus.series]! } : null;

  const onKeyDown = (e: KeyboardEvent) => {
    if (!rows.length || !visible.length) return;
    const at = focus ?? { row: 0, series: 0 };
    const moves: Record<string, () => { row: number; series: number }> = {
      ArrowRight: () => ({ ...at, row: Math.min(rows.length - 1, focus ? at.row + 1 : 0) }),
      ArrowLeft: () => ({ ...at, row: Math.max(0, at.row - 1) }),
      ArrowUp: () => ({ ...at, series: Math.min(visible.length - 1, focus ? at.series + 1 : 0) }),
      ArrowDown: () => ({ ...at, series: Math.max(0, at.series - 1) }),
      Home: () => ({ ...at, row: 0 }),
      End: () => ({ ...at, row: rows.length - 1 }),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      setFocus(move());
    } else if ((e.key === "Enter" || e.key === " ") && point && onActivate) {
      e.preventDefault();
      onActivate({ series: point.series.key, row: point.row });
    }
  };

  const help = `${label}. Arrow keys move between ${kind === "bar" ? "bars" : "points"} and series${onActivate ? `; Enter to ${activateHint ?? "drill into the point"}` : ""}.`;
  return (
    <div>
      <div
        className={`${height} rounded outline-none focus-visible:ring-2 focus-visible:ring-ring`}
        role="group"
        aria-label={help}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onBlur={() => setFocus(null)}
        data-testid="chart"
      >
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart
            data={rows}
            margin={{ top: 8, right: 8, bottom: 0, left: 8 }}
            accessibilityLayer={false}
            onClick={(state) => {
              if (kind === "bar") return;
              const key = clicked.current ?? (visible.length === 1 ? visible[0]!.key : null);
              clicked.current = null;
              const row = rows[Number(state?.activeTooltipIndex)];
              if (key && row) onActivate?.({ series: key, row });
            }}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={12} minTickGap={16} />
            <YAxis tickFormatter={format} fontSize={12} width={80} />
            <Tooltip formatter={(v) => format(Number(v))} />
            {series.map((s, i) => {
              if (hidden.has(s.key)) return null;
              const common = {
                dataKey: s.key,
                name: s.label,
                stackId: "a",
                isAnimationActive: false,
                cursor: onActivate ? "pointer" : undefined,
              };
              const color = colorFor(s.key, i);
              const focused = point?.series.key === s.key;
              return kind === "bar" ? (
                <Bar key={s.key} {...common} fill={color} onClick={(_bar, index) => rows[index] && onActivate?.({ series: s.key, row: rows[index] })} stroke={focused ? "#0f172a" : undefined} />
              ) : (
                <Area
                  key={s.key}
                  {...common}
                  type="monotone"
                  stroke={color}
                  fill={color}
                  fillOpacity={0.6}
                  onClick={() => (clicked.current = s.key)}
                />
              );
            })}
            {previousLabel ? <Line type="monotone" dataKey={PREVIOUS_KEY} name={previousLabel} stroke="#475569" strokeDasharray="5 4" dot={false} isAnimationActive={false} /> : null}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p className="min-h-5 text-xs text-muted-foreground" aria-live="polite" data-testid="chart-focus">
        {point ? `${point.series.label}, ${point.row.label}: ${format(Number(point.row[point.series.key] ?? 0))}${onActivate ? ` — Enter to ${activateHint ?? "drill in"}` : ""}` : ""}
      </p>
      <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs" aria-label={`Series of ${label}: show or hide`}>
        {series.map((s, i) => (
          <li key={s.key}>
            <button
              type="button"
              aria-pressed={!hidden.has(s.key)}
              onClick={() => toggle(s.key)}
              className={`inline-flex items-center gap-1 rounded px-1 py-0.5 hover:bg-surface-muted ${hidden.has(s.key) ? "text-muted-foreground line-through" : "text-foreground"}`}
            >
              <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: colorFor(s.key, i) }} />
              {s.label}
            </button>
          </li>
        ))}
        {previousLabel && (
          <li className="inline-flex items-center gap-1 px-1 text-muted-foreground">
            <span aria-hidden className="inline-block h-0.5 w-4 border-t-2 border-dashed border-muted-foreground" />
            {previousLabel}
          </li>
        )}
      </ul>
    </div>
  );
}
