import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataTable, type Column } from "./data-table";
import { TimeZoneProvider } from "./time-zone";

type Row = { key: string; name: string; cost: string; tasks: number; escalations: number; at: string | null; members?: Row[] };

const row = (key: string, name: string, cost: string, tasks: number, escalations: number, at: string | null = null): Row => ({ key, name, cost, tasks, escalations, at });

const columns: Column<Row>[] = [
  { id: "name", header: "Agent", value: (r) => r.name },
  { id: "cost", header: "Cost", type: "money", currency: "USD", value: (r) => r.cost, total: "sum" },
  { id: "tasks", header: "Tasks", type: "number", value: (r) => r.tasks, total: "sum" },
  {
    id: "rate",
    header: "Escalation rate",
    type: "percent",
    value: (r) => (r.tasks ? r.escalations / r.tasks : null),
    total: (rows) => rows.reduce((n, r) => n + r.escalations, 0) / rows.reduce((n, r) => n + r.tasks, 0),
  },
  { id: "at", header: "Last seen", type: "datetime", value: (r) => r.at },
];

/** Body rows as the cells' text. */
function bodyRows(): string[][] {
  const [, body] = screen.getAllByRole("rowgroup");
  return within(body!).queryAllByRole("row").map((tr) => within(tr).getAllByRole("cell").map((td) => td.textContent ?? ""));
}

let downloaded: Blob[] = [];
beforeEach(() => {
  downloaded = [];
  URL.createObjectURL = (blob: Blob) => {
    downloaded.push(blob);
    return "blob:test";
  };
  URL.revokeObjectURL = () => {};
  HTMLAnchorElement.prototype.click = () => {}; // no navigation in jsdom
});
afterEach(() => {
  downloaded = [];
});

async function downloadCsv(): Promise<string[][]> {
  fireEvent.click(screen.getByRole("button", { name: "Download CSV" }));
  const blob = downloaded.at(-1)!;
  const text = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob);
  });
  return text.trimEnd().split("\r\n").map((line) => line.split(","));
}

describe("DataTable", () => {
  const rows = [row("a", "agent-10", "9", 10, 1), row("b", "agent-9", "100", 4, 2), row("c", "Agent-2", "10", 0, 0), row("d", "agent-1", "0.5", 20, 1)];

  it("has a caption, column headers with scope, numbers right-aligned", () => {
    render(<DataTable title="Workload" columns={columns} rows={rows} rowKey={(r) => r.key} />);
    const table = screen.getByRole("table", { name: "Workload" });
    expect(table.querySelector("caption")!.textContent).toBe("Workload");
    const headers = within(table).getAllByRole("columnheader");
    expect(headers.map((h) => h.getAttribute("scope"))).toEqual(["col", "col", "col", "col", "col"]);
    expect(headers[1]!.className).toContain("text-right");
    expect(within(table).getAllByRole("cell")[1]!.className).toContain("tabular-nums");
    expect(screen.getByRole("region", { name: "Workload" })).toBeTruthy();
  });

  it("sorts numbers as numbers (largest first) and text as text, with aria-sort", async () => {
    const user = userEvent.setup();
    render(<DataTable title="Workload" columns={columns} rows={rows} rowKey={(r) => r.key} />);
    await user.click(screen.getByRole("button", { name: /^Cost/ }));
    expect(bodyRows().map((r) => r[1])).toEqual(["$100.00", "$10.00", "$9.00", "$0.50"]);
    expect(screen.getByRole("columnheader", { name: /^Cost/ }).getAttribute("aria-sort")).toBe("descending");
    await user.click(screen.getByRole("button", { name: /^Cost/ }));
    expect(bodyRows().map((r) => r[1])).toEqual(["$0.50", "$9.00", "$10.00", "$100.00"]);
    expect(screen.getByRole("columnheader", { name: /^Cost/ }).getAttribute("aria-sort")).toBe("ascending");

    await user.click(screen.getByRole("button", { name: /^Agent/ }));
    expect(bodyRows().map((r) => r[0])).toEqual(["agent-1", "Agent-2", "agent-9", "agent-10"]);
    expect(screen.getByRole("columnheader", { name: /^Cost/ }).getAttribute("aria-sort")).toBe("none");
  });

  it("with serverSort, shows the server's order and asks for the next one on a header click", async () => {
    const user = userEvent.setup();
    const asked: { id: string; desc: boolean }[] = [];
    render(<DataTable title="Workload" columns={columns} rows={rows} rowKey={(r) => r.key} serverSort={{ sort: { id: "cost", desc: true }, onSort: (s) => asked.push(s) }} />);
    expect(bodyRows().map((r) => r[1])).toEqual(["$9.00", "$100.00", "$10.00", "$0.50"]); // as given, not re-sorted
    expect(screen.getByRole("columnheader", { name: /^Cost/ }).getAttribute("aria-sort")).toBe("descending");
    await user.click(screen.getByRole("button", { name: /^Cost/ }));
    await user.click(screen.getByRole("button", { name: /^Agent/ }));
    expect(asked).toEqual([{ id: "cost", desc: false }, { id: "name", desc: false }]);
    expect(bodyRows().map((r) => r[1])).toEqual(["$9.00", "$100.00", "$10.00", "$0.50"]);
  });

  it("keeps rows without a value last in both directions", async () => {
    const user = userEvent.setup();
    render(<DataTable title="Workload" columns={columns} rows={rows} rowKey={(r) => r.key} />);
    const rate = screen.getByRole("button", { name: /^Escalation rate/ });
    await user.click(rate);
    expect(bodyRows().map((r) => r[3])).toEqual(["50.0%", "10.0%", "5.0%", "—"]);
    await user.click(rate);
    expect(bodyRows().map((r) => r[3])).toEqual(["5.0%", "10.0%", "50.0%", "—"]);
  });

  it("searches the shown text and pages the result", async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 30 }, (_, i) => row(`k${i}`, `agent-${i}`, String(i), i, 0));
    render(<DataTable title="Agents" columns={columns} rows={many} rowKey={(r) => r.key} pageSize={10} />);
    expect(bodyRows()).toHaveLength(10);
    expect(screen.getByText("1–10 of 30")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(bodyRows()[0]![0]).toBe("agent-10");
    expect(screen.getByText("11–20 of 30")).toBeTruthy();

    await user.type(screen.getByRole("searchbox", { name: "Search Agents" }), "agent-2");
    // agent-2 and agent-20…29; the page goes back to the first.
    expect(bodyRows().map((r) => r[0])).toEqual(["agent-2", ...Array.from({ length: 9 }, (_, i) => `agent-${20 + i}`)]);
    expect(screen.getByText("1–10 of 11")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Show all 11 rows" }));
    expect(bodyRows()).toHaveLength(11);

    await user.clear(screen.getByRole("searchbox", { name: "Search Agents" }));
    await user.type(screen.getByRole("searchbox", { name: "Search Agents" }), "$7.00");
    expect(bodyRows().map((r) => r[0])).toEqual(["agent-7"]);
    await user.type(screen.getByRole("searchbox", { name: "Search Agents" }), "zzz");
    expect(screen.getByText(/No rows match/)).toBeTruthy();
  });

  it("starts a new sort order at its first page", async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 30 }, (_, i) => row(`k${i}`, `agent-${i}`, String(i), i, 0));
    render(<DataTable title="Agents" columns={columns} rows={many} rowKey={(r) => r.key} pageSize={10} />);
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(screen.getByRole("button", { name: /^Cost/ }));
    expect(bodyRows()[0]![0]).toBe("agent-29");
    expect(screen.getByText("1–10 of 30")).toBeTruthy();
  });

  it("adds summary rows the table does not compute, formatted by column, in the CSV too", async () => {
    render(
      <DataTable
        title="Invoice"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.key}
        csvName="i.csv"
        summary={[{ label: "Adjustments", values: { cost: "-25" }, testId: "adjustments" }]}
      />,
    );
    expect(screen.getByTestId("adjustments").textContent).toBe("-$25.00");
    expect((await downloadCsv()).at(-1)).toEqual(["Adjustments", "-25", "", "", ""]);
  });

  it("hides and shows columns from the column menu", async () => {
    const user = userEvent.setup();
    render(<DataTable title="Workload" columns={columns} rows={rows} rowKey={(r) => r.key} />);
    await user.click(screen.getByText("Columns"));
    await user.click(screen.getByRole("checkbox", { name: "Show column Tasks" }));
    expect(screen.queryByRole("columnheader", { name: /^Tasks/ })).toBeNull();
    expect(bodyRows()[0]).toHaveLength(4);
    await user.click(screen.getByRole("checkbox", { name: "Show column Tasks" }));
    expect(screen.getByRole("columnheader", { name: /^Tasks/ })).toBeTruthy();
  });

  it("starts with hidden columns hidden", () => {
    render(<DataTable title="Workload" columns={columns.map((c) => (c.id === "at" ? { ...c, hidden: true } : c))} rows={rows} rowKey={(r) => r.key} />);
    expect(screen.queryByRole("columnheader", { name: /^Last seen/ })).toBeNull();
  });

  it("totals the filtered rows exactly, with ratio totals computed from sums", async () => {
    const user = userEvent.setup();
    const cents = [row("a", "a", "0.1", 1, 1), row("b", "b", "0.2", 3, 0)];
    render(<DataTable title="Totals" columns={columns} rows={cents} rowKey={(r) => r.key} totals search csvName="t.csv" />);
    const foot = screen.getAllByRole("rowgroup")[2]!;
    expect(within(foot).getAllByRole("cell").map((c) => c.textContent)).toEqual(["Total", "$0.30", "4", "25.0%", ""]);
    expect((await downloadCsv()).at(-1)).toEqual(["Total", "0.3", "4", "0.25", ""]);
    await user.type(screen.getByRole("searchbox"), "b");
    expect(within(foot).getAllByRole("cell").map((c) => c.textContent)).toEqual(["Total", "$0.20", "3", "0.0%", ""]);
  });

  it("downloads exactly what is shown: filtered rows in the shown order, shown columns, raw values, neutralised", async () => {
    const user = userEvent.setup();
    const data = [...rows, row("e", "=SUM(A1)", "1234.5678", 3, 3)];
    render(<DataTable title="Workload" columns={columns} rows={data} rowKey={(r) => r.key} pageSize={2} search csvName="w.csv" />);
    await user.click(screen.getByRole("button", { name: /^Cost/ })); // descending
    await user.click(screen.getByText("Columns"));
    await user.click(screen.getByRole("checkbox", { name: "Show column Last seen" }));
    await user.type(screen.getByRole("searchbox"), "a");
    const [header, ...records] = await downloadCsv();
    expect(header).toEqual(["Agent", "Cost", "Tasks", "Escalation rate"]);
    expect(records).toEqual([
      ["'=SUM(A1)", "1234.5678", "3", "1"],
      ["agent-9", "100", "4", "0.5"],
      ["Agent-2", "10", "0", ""],
      ["agent-10", "9", "10", "0.1"],
      ["agent-1", "0.5", "20", "0.05"],
    ]);
    // The page shows the first two of those rows, in the same order.
    expect(bodyRows().map((r) => r[0])).toEqual(["=SUM(A1)", "agent-9"]);
    expect(bodyRows()[0]![1]).toBe("$1,234.57");
  });

  it("expands an aggregate row into its members without counting them twice", async () => {
    const user = userEvent.setup();
    const other = { ...row("other", "Other", "3", 3, 0), members: [row("x", "x-agent", "2", 2, 0), row("y", "y-agent", "1", 1, 0)] };
    render(<DataTable title="Groups" columns={columns} rows={[row("a", "a", "5", 5, 0), other]} rowKey={(r) => r.key} subRows={(r) => r.members} totals csvName="g.csv" />);
    expect(bodyRows().map((r) => r[0])).toEqual(["a", "Other"]);
    await user.click(screen.getByRole("button", { name: "Expand Other" }));
    expect(bodyRows().map((r) => r[0])).toEqual(["a", "Other", "x-agent", "y-agent"]);
    expect(screen.getByRole("button", { name: "Collapse Other" }).getAttribute("aria-expanded")).toBe("true");
    const foot = screen.getAllByRole("rowgroup")[2]!;
    expect(within(foot).getAllByRole("cell")[1]!.textContent).toBe("$8.00");
    expect((await downloadCsv()).map((r) => r[0])).toEqual(["Agent", "a", "Other", "x-agent", "y-agent", "Total"]);
  });

  it("shows dates in the organization's time zone; calendar days as they are", () => {
    render(
      <TimeZoneProvider timeZone="America/New_York">
        <DataTable title="Seen" columns={columns} rows={[row("a", "a", "1", 1, 0, "2026-03-08T06:30:00Z"), row("b", "b", "1", 1, 0, "2026-03-09")]} rowKey={(r) => r.key} />
      </TimeZoneProvider>,
    );
    expect(bodyRows()[0]![4]).toMatch(/^Mar 8, 2026, 1:30\sAM$/);
    expect(bodyRows()[1]![4]).toBe("2026-03-09");
  });

  it("has one loading and one empty state; server paging offers the next page", async () => {
    const user = userEvent.setup();
    const { rerender } = render(<DataTable title="Events" columns={columns} rows={[]} rowKey={(r) => r.key} loading />);
    expect(screen.getByRole("status").textContent).toContain("Loading events");
    rerender(<DataTable title="Events" columns={columns} rows={[]} rowKey={(r) => r.key} empty="Nothing yet." />);
    expect(screen.getByText("Nothing yet.")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
    let asked = 0;
    const many = Array.from({ length: 30 }, (_, i) => row(`k${i}`, `e${i}`, "1", 1, 0));
    rerender(<DataTable title="Events" columns={columns} rows={many} rowKey={(r) => r.key} loadMore={{ hasMore: true, loading: false, onMore: () => asked++, label: "Load older events" }} />);
    expect(bodyRows()).toHaveLength(30); // no client paging over server pages
    await user.click(screen.getByRole("button", { name: "Load older events" }));
    expect(asked).toBe(1);
  });
});
