import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isoDay, parseEcbCsv, parseEcbXml, parseFxFile, parsePlainCsv } from "./files";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../../tests/fixtures/ecb", name), "utf8");

describe("ECB CSV", () => {
  it("reads the daily file: spelled-out date, ', ' separators, trailing separator", () => {
    const { rates, problems, skippedCurrencies } = parseEcbCsv(fixture("eurofxref.csv"));
    expect(problems).toEqual([]);
    expect(skippedCurrencies).toEqual([]);
    expect(rates).toHaveLength(29);
    expect(rates[0]).toEqual({ base: "EUR", quote: "USD", date: "2026-11-27", rate: "1.0523" });
    expect(rates.find((r) => r.quote === "GBP")?.rate).toBe("0.8341");
    expect(rates.find((r) => r.quote === "IDR")?.rate).toBe("16912.44");
    expect(new Set(rates.map((r) => r.date))).toEqual(new Set(["2026-11-27"]));
  });

  it("reads the history file: ISO dates, N/A cells, withdrawn currencies left out", () => {
    const { rates, problems, skippedCurrencies } = parseEcbCsv(fixture("eurofxref-hist.csv"));
    expect(problems).toEqual([]);
    expect(skippedCurrencies).toEqual(["CYP", "EEK", "HRK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL"]);
    const on = (date: string) => rates.filter((r) => r.date === date);
    // 41 currency columns, 10 withdrawn; on 2026 days BGN and RUB are N/A as well.
    expect(on("2026-11-27")).toHaveLength(29);
    expect(on("2007-12-31")).toHaveLength(31);
    expect(on("2007-12-31").find((r) => r.quote === "BGN")?.rate).toBe("1.9558");
    expect(rates.some((r) => r.quote === "RUB" && r.date === "2026-11-27")).toBe(false);
    expect(on("2026-11-26").find((r) => r.quote === "JPY")?.rate).toBe("160.87");
  });

  it("names the line and column of a bad cell, and returns no rates then", () => {
    const text = "Date, USD, JPY, \n27 November 2026, 1.05, abc, \n31 November 2026, 1.06, 160, \n26 November 2026, -1, 0, \n";
    const { rates, problems } = parseEcbCsv(text);
    expect(rates).toEqual([]);
    expect(problems).toEqual([
      { path: "line 2.JPY", message: expect.stringContaining("\"abc\"") },
      { path: "line 3.Date", message: expect.stringContaining("not a date") },
      { path: "line 4.USD", message: expect.stringContaining("must not be negative") },
      { path: "line 4.JPY", message: "\"0\" must be greater than 0" },
    ]);
    expect(parseEcbCsv("base,quote\nEUR,USD\n").problems[0]?.path).toBe("header");
  });
});

describe("ECB XML", () => {
  it("reads the daily file", () => {
    const { rates, problems } = parseEcbXml(fixture("eurofxref-daily.xml"));
    expect(problems).toEqual([]);
    expect(rates).toHaveLength(17);
    expect(rates[0]).toEqual({ base: "EUR", quote: "USD", date: "2026-11-27", rate: "1.0523" });
    expect(rates.at(-1)).toEqual({ base: "EUR", quote: "ZAR", date: "2026-11-27", rate: "19.0815" });
  });

  it("reads the history file, one Cube per day (double quotes there)", () => {
    const { rates, problems } = parseEcbXml(fixture("eurofxref-hist-90d.xml"));
    expect(problems).toEqual([]);
    expect(rates).toHaveLength(12);
    expect(rates.filter((r) => r.quote === "CHF").map((r) => [r.date, r.rate])).toEqual([["2026-11-27", "0.9312"], ["2026-11-26", "0.9305"], ["2026-11-25", "0.9297"]]);
  });

  it("reports bad dates, rates and files", () => {
    const doc = (body: string) => `<gesmes:Envelope xmlns:gesmes="x"><Cube>${body}</Cube></gesmes:Envelope>`;
    expect(parseEcbXml(doc("<Cube time='2026-02-30'><Cube currency='USD' rate='1.1'/></Cube>")).problems[0]?.path).toBe("line 1.time");
    expect(parseEcbXml(doc("<Cube time='2026-02-03'><Cube currency='USD' rate='1,1'/></Cube>")).problems[0]?.path).toBe("line 1.USD");
    expect(parseEcbXml(doc("<Cube currency='USD' rate='1.1'/>")).problems[0]?.message).toMatch(/outside/);
    expect(parseEcbXml(doc("<Cube time='2026-02-03'><Cube currency='XEU' rate='1.1'/></Cube>"))).toMatchObject({ skippedCurrencies: ["XEU"], problems: [{ path: "file" }] });
    expect(parseEcbXml("Date,USD\n").problems[0]?.path).toBe("file");
  });
});

describe("plain CSV", () => {
  it("reads base,quote,date,rate in any column order and case", () => {
    const { rates, problems } = parsePlainCsv("date,base,quote,rate\n2026-11-27,usd,jpy,153.21\n2026-11-27,GBP,KWD,0.38812000\n");
    expect(problems).toEqual([]);
    expect(rates).toEqual([
      { base: "USD", quote: "JPY", date: "2026-11-27", rate: "153.21" },
      { base: "GBP", quote: "KWD", date: "2026-11-27", rate: "0.38812" },
    ]);
  });

  it("names each bad cell; duplicates and same-currency pairs are problems", () => {
    const { rates, problems } = parsePlainCsv(
      "base,quote,date,rate\nUSD,HRK,2026-11-27,7\nUSD,USD,2026-11-27,1\nEUR,USD,27/11/2026,1.05\nEUR,USD,2026-11-27,1.0000000000000001\nEUR,GBP,2026-11-27,0.83\nEUR,GBP,2026-11-27,0.84\n",
    );
    expect(rates).toEqual([]);
    expect(problems.map((p) => p.path)).toEqual(["line 2.quote", "line 3.quote", "line 4.date", "line 5.rate", "EUR/GBP 2026-11-27"]);
    expect(problems[3]?.message).toMatch(/at most 15 decimal places/);
    expect(parsePlainCsv("base,quote,rate\n").problems).toEqual([{ path: "header", message: expect.stringContaining("'date'") }]);
    expect(parseFxFile("csv", "base,quote,date,rate\n").problems[0]?.path).toBe("file");
  });

  it("checks calendar days", () => {
    expect(isoDay("2028-02-29")).toBe("2028-02-29");
    expect(isoDay("2026-02-29")).toBeNull();
    expect(isoDay("5 March 2026")).toBe("2026-03-05");
    expect(isoDay("5 Brumaire 2026")).toBeNull();
  });
});
