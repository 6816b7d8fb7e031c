// One Decimal configuration for currency work: 40 significant digits (as billing's rating), half-even. Amounts and
// stored rates are exact in it; only a division (an inverse or cross rate, a conversion) rounds, at the 40th digit.
import Decimal from "decimal.js";

export const FxDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type FxDecimal = Decimal;

/** For sums and differences of converted amounts (a 28-digit cost × a 40-digit rate): exact, never rounded. */
export const ExactDecimal = Decimal.clone({ precision: 200 });
