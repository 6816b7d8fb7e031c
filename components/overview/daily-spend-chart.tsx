"use client";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";

export function DailySpendChart({ data, currency }: { data: { day: string; cost: number }[]; currency: string }) {
  return (
    <div className="h-64" role="img" aria-label="Daily spend">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={12} minTickGap={16} />
          <YAxis tickFormatter={(v: number) => formatMoney(v, currency, 0)} fontSize={12} width={72} />
          <Tooltip formatter={(v) => formatMoney(Number(v), currency)} labelFormatter={(d) => String(d)} />
          <Bar dataKey="cost" name="Spend" fill="#4f46e5" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
