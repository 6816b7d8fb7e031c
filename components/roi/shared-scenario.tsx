"use client";
// A scenario opened through its read-only link: its baselines and the same side-by-side figures as its owner sees.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ErrorState, Loading } from "@/components/ui/states";
import type { ScenarioView } from "@/lib/analytics/scenario-schemas";
import { RoiComparison } from "./comparison";
import { fetchRoi, roiKeys } from "./queries";
import { fetchWhatIf } from "./scenarios";

type Baseline = ScenarioView["baselines"][number];

export function SharedScenario({ token, params }: { token: string; params: Record<string, string> }) {
  const scenario = useQuery({ queryKey: ["roi-scenario-shared", token], queryFn: ({ signal }) => apiFetch<ScenarioView>(`/api/v1/roi/scenarios/shared/${encodeURIComponent(token)}`, { signal }) });
  const official = useQuery({ queryKey: roiKeys.list(params), queryFn: ({ signal }) => fetchRoi(params, signal), placeholderData: keepPreviousData });
  const baselines = scenario.data?.baselines ?? [];
  const whatIf = useQuery({
    queryKey: [...roiKeys.all, "what-if", params, baselines],
    queryFn: ({ signal }) => fetchWhatIf(params, baselines, signal),
    enabled: scenario.isSuccess,
  });
  if (scenario.isError) return <ErrorState error={scenario.error} />;
  if (official.isError) return <ErrorState error={official.error} />;
  if (whatIf.isError) return <ErrorState error={whatIf.error} />;
  if (!scenario.data || !official.data || !whatIf.data) return <Loading what="scenario" />;
  const names = new Map(official.data.assumptions.map((a) => [a.taskType, a]));
  const columns: Column<Baseline>[] = [
    { id: "task", header: "Task type", value: (b) => names.get(b.taskType)?.name ?? b.taskType },
    { id: "official-minutes", header: "Official minutes", type: "number", digits: 2, value: (b) => names.get(b.taskType)?.baselineMinutes ?? null },
    { id: "minutes", header: "Scenario minutes", type: "number", digits: 2, value: (b) => b.baselineMinutes },
    { id: "official-rate", header: "Official hourly cost", type: "money", currency: official.data.currency, value: (b) => names.get(b.taskType)?.loadedHourlyCost ?? null },
    { id: "rate", header: "Scenario hourly cost", type: "money", currency: official.data.currency, value: (b) => b.loadedHourlyCost },
  ];
  return (
    <Card aria-label="Shared scenario">
      <CardHeader>
        <div>
          <CardTitle>{scenario.data.name}</CardTitle>
          <CardDescription>
            A what-if by {scenario.data.owner.name}, read-only · {official.data.from} to {official.data.to}
          </CardDescription>
        </div>
      </CardHeader>
      <DataTable title="Scenario baselines" columns={columns} rows={baselines} rowKey={(b) => b.taskType} search={false} empty="Same as the official baselines." />
      <RoiComparison official={official.data} whatIf={whatIf.data} />
    </Card>
  );
}
