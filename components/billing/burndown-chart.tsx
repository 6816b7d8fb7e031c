"use client";
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatNumber } from "@/lib/format";

export type BurnDownPoint = { period: string; drawn: number; balance: number };

export function BurnDownChart({ data, unit }: { data: BurnDownPoint[]; unit: string }) {
  return (
    <div className="h-64" role="img" aria-label="Commitment burn-down">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" fontSize={12} />
          <YAxis tickFormatter={(v: number) => formatNumber(v)} fontSize={12} width={80} />
          <Tooltip formatter={(v, name) => [`${formatNumber(Number(v), 2)} ${unit}`, name]} />
          <Bar dataKey="drawn" name="Drawn in period" fill="#a5b4fc" isAnimationActive={false} />
          <Line dataKey="balance" name="Balance left" stroke="#4f46e5" strokeWidth={2} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
