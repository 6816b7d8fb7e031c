// Cost of one LLM call from its token counts and a model price row — exact decimal arithmetic, no floats.
// Token classes are disjoint: inputTokens excludes cached tokens, outputTokens excludes reasoning tokens
// (ingestion normalizes provider usage objects into these five counts before pricing).
// Rounding: the exact cost has at most 12 decimals (6-decimal prices per 10^6 tokens); it is rounded to
// 10 decimals, half-even, to fit usage_events.cost numeric(20,10).
import Decimal from "decimal.js";

const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });

export const COST_DECIMALS = 10;

type Amount = string | number | { toString(): string };
type Count = number | bigint | string;

export type TokenCounts = {
  inputTokens?: Count;
  outputTokens?: Count;
  cacheReadTokens?: Count;
  cacheCreationTokens?: Count;
  reasoningTokens?: Count;
};

/** Prices per million tokens; accepts strings, numbers, or Prisma/decimal.js Decimals. */
export type TokenPrice = {
  inputPerMTok: Amount;
  outputPerMTok: Amount;
  cacheReadPerMTok?: Amount | null;
  cacheCreationPerMTok?: Amount | null;
  reasoningPerMTok?: Amount | null;
};

function count(value: Count | undefined, name: string): Decimal {
  if (value === undefined) return new D(0);
  const d = new D(value.toString());
  if (!d.isInteger() || d.isNegative()) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return d;
}

function price(value: Amount | null | undefined, fallback: Decimal): Decimal {
  if (value === null || value === undefined) return fallback;
  const d = new D(value.toString());
  if (d.isNegative() || !d.isFinite()) throw new RangeError(`price must be a non-negative number, got ${value}`);
  return d;
}

/** Exact cost rounded to 10 decimals (half-even), as a decimal.js Decimal. */
export function computeTokenCost(tokens: TokenCounts, prices: TokenPrice): Decimal {
  const input = price(prices.inputPerMTok, new D(0));
  const output = price(prices.outputPerMTok, new D(0));
  const perMTok = count(tokens.inputTokens, "inputTokens")
    .times(input)
    .plus(count(tokens.outputTokens, "outputTokens").times(output))
    .plus(count(tokens.cacheReadTokens, "cacheReadTokens").times(price(prices.cacheReadPerMTok, input)))
    .plus(count(tokens.cacheCreationTokens, "cacheCreationTokens").times(price(prices.cacheCreationPerMTok, input)))
    .plus(count(tokens.reasoningTokens, "reasoningTokens").times(price(prices.reasoningPerMTok, output)));
  return new Decimal(perMTok.dividedBy(1_000_000).toDecimalPlaces(COST_DECIMALS, Decimal.ROUND_HALF_EVEN));
}

/** Same as computeTokenCost, as a fixed-point string with 10 decimals (e.g. for SQL parameters). */
export function computeTokenCostString(tokens: TokenCounts, prices: TokenPrice): string {
  return computeTokenCost(tokens, prices).toFixed(COST_DECIMALS);
}
