"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import type { AllocationBar } from "./prepare";

export function AllocationChart({ bars, currency }: { bars: AllocationBar[]; currency: string }) {
  return (
    <div className="h-64" role="img" aria-label="Cost per department, direct and allocated">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" fontSize={12} interval={0} />
          <YAxis tickFormatter={(v: number) => formatMoney(v, currency, 0)} fontSize={12} width={72} />
          <Tooltip formatter={(v) => formatMoney(Number(v), currency)} />
          <Legend />
          <Bar dataKey="direct" name="Direct" stackId="cost" fill="#4f46e5" isAnimationActive={false} />
          <Bar dataKey="allocated" name="Allocated (shared agents)" stackId="cost" fill="#a5b4fc" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
