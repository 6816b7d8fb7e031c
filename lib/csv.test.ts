import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { neutralise, toCsv } from "./csv";

const DANGEROUS = ["=", "+", "-", "@", "\t", "\r"];

describe("the CSV writer", () => {
  it("prefixes a quote to every cell a spreadsheet would run as a formula", () => {
    fc.assert(
      fc.property(fc.constantFrom(...DANGEROUS), fc.string(), (lead, rest) => {
        const cell = lead + rest;
        fc.pre(!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell));
        const [, [back] = []] = parse(toCsv(["h"], [[cell]]), { record_delimiter: "\r\n" }) as string[][];
        expect(back).toBe(`'${cell}`);
      }),
      { numRuns: 500 },
    );
  });

  it("leaves plain numbers, negative ones included, as numbers", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), fc.boolean(), (n, asString) => {
        const value = asString ? String(n) : n;
        expect(neutralise(value)).toBe(String(n));
      }),
      { numRuns: 500 },
    );
    expect(neutralise("-12.50")).toBe("-12.50");
    expect(neutralise("+3")).toBe("+3");
  });

  it("round-trips any text through an RFC 4180 reader (csv-parse), neutralised cells aside", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: "grapheme" }), { minLength: 1, maxLength: 4 }), { maxLength: 5 }), (rows) => {
        const width = Math.max(1, ...rows.map((r) => r.length));
        const padded = rows.map((r) => [...r, ...Array<string>(width - r.length).fill("")]);
        const header = Array.from({ length: width }, (_, i) => `c${i}`);
        const back = parse(toCsv(header, padded), { record_delimiter: "\r\n" }) as string[][];
        expect(back).toEqual([header, ...padded.map((r) => r.map((c) => neutralise(c)))]);
      }),
      { numRuns: 500 },
    );
  });

  it("quotes commas, quotes and bare line breaks; ends records with CRLF; null is empty", () => {
    expect(toCsv(["a", "b"], [['x,"y"', "two\nlines"], [null, 0], ["cr\ronly", undefined]])).toBe('a,b\r\n"x,""y""","two\nlines"\r\n,0\r\n"cr\ronly",\r\n');
  });

  it("neutralises the pentest's agent key and the import report's leading tab and CR", () => {
    expect(neutralise("-1+1+cmd|' /C calc'!A0")).toBe("'-1+1+cmd|' /C calc'!A0");
    expect(neutralise("\t=1+1")).toBe("'\t=1+1");
    expect(neutralise("\r=1+1")).toBe("'\r=1+1");
    expect(neutralise("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutralise("a=b")).toBe("a=b");
  });
});
