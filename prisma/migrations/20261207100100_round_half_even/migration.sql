-- Half-even rounding to `places` decimals, as decimal.js's ROUND_HALF_EVEN (lib/currency/iso4217.ts roundToMinor):
-- PostgreSQL's round(numeric, int) rounds halves away from zero. A plain SQL function, inlined by the planner, so a
-- query can round each converted row to the display currency's minor unit before it reaches JavaScript.
CREATE FUNCTION round_half_even(v numeric, places integer) RETURNS numeric
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE
    WHEN abs(v * power(10::numeric, places) - trunc(v * power(10::numeric, places))) = 0.5
     AND mod(trunc(v * power(10::numeric, places)), 2) = 0
    THEN trunc(v, places)
    ELSE round(v, places)
  END;
