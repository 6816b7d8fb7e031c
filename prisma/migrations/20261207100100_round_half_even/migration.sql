-- Half-even rounding to `places` decimals, as decimal.js's ROUND_HALF_EVEN (lib/currency/iso4217.ts roundToMinor):
-- PostgreSQL's round(numeric, int) rounds halves away from zero. A query rounds each converted row to the display
-- currency's minor unit with it before the row reaches JavaScript. Half-even differs from round() only on an exact
-- tie: round() moved away from trunc() and twice the remainder is exactly one unit of the last place kept, and then the
-- even neighbour is trunc() when its last digit is even. Not STRICT (a STRICT SQL function around a CASE is never
-- inlined, and NULL in still gives NULL out, round() and trunc() are strict) and no 10^places products of the 50-digit
-- converted amounts: inlined, ~5x cheaper per row than a called function (636k values: 2.3 s called, 0.42 s inlined).
CREATE FUNCTION round_half_even(v numeric, places integer) RETURNS numeric
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN round(v, places) <> trunc(v, places)
     AND trunc(2 * (v - trunc(v, places)), places) = 2 * (v - trunc(v, places))
     AND trunc(trunc(v, places) / 2, places) * 2 = trunc(v, places)
    THEN trunc(v, places)
    ELSE round(v, places)
  END;
