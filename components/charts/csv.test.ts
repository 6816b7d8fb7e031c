import { expect, it } from "vitest";
import { tableCsv } from "./csv";

type Row = { name: string; cost: string | null };
const columns = [
  { header: "Name", value: (r: Row) => r.name },
  { header: "Cost", value: (r: Row) => r.cost },
];

it("writes RFC 4180 CSV with quoting only where needed", () => {
  const csv = tableCsv(columns, [
    { name: "Plain", cost: "1.2300000001" },
    { name: 'Has "quotes", commas', cost: null },
    { name: "Two\nlines", cost: "0" },
  ]);
  expect(csv).toBe('Name,Cost\r\nPlain,1.2300000001\r\n"Has ""quotes"", commas",\r\n"Two\nlines",0\r\n');
});

it("neutralises formulas in the dashboards' downloads but keeps negative amounts as numbers", () => {
  const csv = tableCsv(columns, [
    { name: "-1+1+cmd|' /C calc'!A0", cost: "-4.20" },
    { name: "=HYPERLINK(\"http://x\")", cost: "3" },
  ]);
  expect(csv).toBe(`Name,Cost\r\n'-1+1+cmd|' /C calc'!A0,-4.20\r\n"'=HYPERLINK(""http://x"")",3\r\n`);
});
