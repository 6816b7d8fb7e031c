// Integer fast path of lib/pricing/cost.ts for bulk generation: prices in millionths, costs in 1e-10 units.
// Exact while every intermediate stays a safe integer (checked); fast-cost.test.ts pins it to computeTokenCost.

export type MicroPrice = { input: number; output: number; cacheRead: number; cacheCreation: number; reasoning: number };

/** "1.25" → 1_250_000 (millionths). Throws on more than 6 decimals. */
export function toMicro(value: string): number {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(value.trim());
  if (!match) throw new Error(`price ${value} is not a non-negative decimal with at most 6 decimals`);
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? "").padEnd(6, "0"));
}

export function microPrice(row: {
  inputPerMTok: string;
  outputPerMTok: string;
  cacheReadPerMTok: string | null;
  cacheCreationPerMTok: string | null;
  reasoningPerMTok: string | null;
}): MicroPrice {
  const input = toMicro(row.inputPerMTok);
  const output = toMicro(row.outputPerMTok);
  return {
    input,
    output,
    cacheRead: row.cacheReadPerMTok === null ? input : toMicro(row.cacheReadPerMTok),
    cacheCreation: row.cacheCreationPerMTok === null ? input : toMicro(row.cacheCreationPerMTok),
    reasoning: row.reasoningPerMTok === null ? output : toMicro(row.reasoningPerMTok),
  };
}

/** Cost in 1e-10 currency units, rounded half-even (same rule as computeTokenCost). */
export function costUnits(
  p: MicroPrice,
  input: number,
  output: number,
  cacheRead: number,
  cacheCreation: number,
  reasoning: number,
): number {
  // Σ tokens × millionths-per-million-tokens = cost in 1e-12 units.
  const picos = input * p.input + output * p.output + cacheRead * p.cacheRead + cacheCreation * p.cacheCreation + reasoning * p.reasoning;
  if (!Number.isSafeInteger(picos)) throw new RangeError("token counts too large for the integer fast path");
  let units = Math.floor(picos / 100);
  const rest = picos - units * 100;
  if (rest > 50 || (rest === 50 && units % 2 === 1)) units += 1;
  return units;
}

/** Integer units of 10^-decimals → fixed-point string, e.g. (12345, 4) → "1.2345". */
export function formatUnits(units: number | bigint, decimals = 10): string {
  const negative = units < 0;
  const digits = String(negative ? -units : units).padStart(decimals + 1, "0");
  const cut = digits.length - decimals;
  return (negative ? "-" : "") + digits.slice(0, cut) + "." + digits.slice(cut);
}
