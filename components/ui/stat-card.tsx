import { formatPercent } from "@/lib/format";
import { Card } from "./card";

export function StatCard({ label, value, delta, testId }: { label: string; value: string; delta?: number | null; testId?: string }) {
  return (
    <Card className="min-w-0">
      <div className="text-sm text-muted-foreground">{label}</div>
      <div className="mt-1 text-2xl font-semibold break-words tabular-nums" data-testid={testId}>
        {value}
      </div>
      {delta !== undefined && (
        <div className={`mt-1 text-xs ${delta === null ? "text-muted-foreground" : delta >= 0 ? "text-success" : "text-danger"}`}>
          {delta === null ? "no previous data" : `${delta >= 0 ? "▲" : "▼"} ${formatPercent(Math.abs(delta))} vs previous period`}
        </div>
      )}
    </Card>
  );
}
