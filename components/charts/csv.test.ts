import { expect, it } from "vitest";
import { toCsv } from "./csv";

it("writes RFC 4180 CSV with quoting only where needed", () => {
  const csv = toCsv(
    [
      { header: "Name", value: (r: { name: string; cost: string | null }) => r.name },
      { header: "Cost", value: (r) => r.cost },
    ],
    [
      { name: "Plain", cost: "1.2300000001" },
      { name: 'Has "quotes", commas', cost: null },
      { name: "Two\nlines", cost: "0" },
    ],
  );
  expect(csv).toBe('Name,Cost\r\nPlain,1.2300000001\r\n"Has ""quotes"", commas",\r\n"Two\nlines",0\r\n');
});
