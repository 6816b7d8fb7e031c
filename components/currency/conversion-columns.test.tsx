// The CSV of any cost table shown in a display currency carries both amounts and the rate date per row
// (conversionColumns, used by the Overview, agent and Usage tables); in the organization currency it adds nothing.
import { fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { DataTable, type Column } from "@/components/ui/data-table";
import { conversionColumns } from "./conversion-note";

type Row = { key: string; cost: string; orgCost?: string; rateDates?: { first: string; last: string } | null };
const conversion = { from: "USD", to: "JPY", sources: ["ecb"], rateDates: { first: "2026-11-02", last: "2026-11-05" }, missingDays: [], rates: [] };

let downloaded: Blob[] = [];
beforeEach(() => {
  downloaded = [];
  URL.createObjectURL = (blob: Blob) => (downloaded.push(blob), "blob:test");
  URL.revokeObjectURL = () => {};
  HTMLAnchorElement.prototype.click = () => {};
});

async function csvOf(columns: Column<Row>[], rows: Row[]): Promise<string[][]> {
  render(<DataTable title="Costs" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="c.csv" />);
  fireEvent.click(screen.getByRole("button", { name: "Download CSV" }));
  const blob = downloaded.at(-1)!;
  const text = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob);
  });
  return text.trimEnd().split("\r\n").map((l) => l.split(","));
}

const base: Column<Row>[] = [
  { id: "key", header: "Agent", value: (r) => r.key },
  { id: "cost", header: "Cost", type: "money", currency: "JPY", value: (r) => r.cost },
];

describe("conversionColumns", () => {
  it("adds the organization-currency amount and the range's rate dates beside the converted cost", async () => {
    const rows = [{ key: "a", cost: "1500", orgCost: "10.01" }, { key: "b", cost: "0", orgCost: "0" }];
    expect(await csvOf([...base, ...conversionColumns<Row>(conversion, (r) => r.orgCost)], rows)).toEqual([
      ["Agent", "Cost", "Cost (USD)", "Rate date"],
      ["a", "1500", "10.01", "2026-11-02…2026-11-05"],
      ["b", "0", "0", "2026-11-02…2026-11-05"],
    ]);
  });

  it("takes a row's own rate dates when given, 'no rate' for a row without one", async () => {
    const rows = [{ key: "a", cost: "1500", orgCost: "10", rateDates: { first: "2026-11-03", last: "2026-11-03" } }, { key: "b", cost: "0", orgCost: "4", rateDates: null }];
    const csv = await csvOf([...base, ...conversionColumns<Row>(conversion, (r) => r.orgCost, (r) => (r.rateDates ? r.rateDates.first : "no rate"))], rows);
    expect(csv.slice(1)).toEqual([["a", "1500", "10", "2026-11-03"], ["b", "0", "4", "no rate"]]);
  });

  it("adds nothing in the organization currency", () => {
    expect(conversionColumns<Row>(null, (r) => r.orgCost)).toEqual([]);
  });
});
