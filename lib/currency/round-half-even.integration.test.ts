// The SQL round_half_even (migration 20261207100100) rounds exactly as roundToMinor (decimal.js, half-even), so a
// query may round converted rows itself: property-based over amounts with up to 50 decimals, exact halves included.
import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { roundToMinor } from "./iso4217";

const CURRENCIES = ["JPY", "USD", "KWD"]; // 0, 2 and 3 decimals

// An integer part, a fraction of up to 50 digits; a third of the values sit exactly on a half of the last place kept.
const amountArb = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.stringMatching(/^[0-9]{0,50}$/), fc.constantFrom(0, 2, 3), fc.boolean(), fc.nat(2))
  .map(([int, fraction, places, negative, kind]) => {
    const digits = kind === 0 ? `${fraction.slice(0, places).padEnd(places, "0")}5` : fraction;
    const text = `${int}${digits ? `.${digits}` : ""}`;
    return negative ? `-${text}` : text;
  });

describe("round_half_even", () => {
  it("equals roundToMinor for 0-, 2- and 3-decimal currencies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(amountArb, { minLength: 1, maxLength: 50 }), async (amounts) => {
        for (const code of CURRENCIES) {
          const places = code === "JPY" ? 0 : code === "USD" ? 2 : 3;
          const { rows } = await pool.query<{ v: string }>("SELECT trim_scale(round_half_even(v, $2))::text AS v FROM unnest($1::numeric[]) v", [amounts, places]);
          expect(rows.map((r) => r.v)).toEqual(amounts.map((a) => roundToMinor(new Decimal(a), code).toFixed()));
        }
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});
