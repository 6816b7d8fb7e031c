// Bounds on what one read request may ask for, in one place: the query schemas, the query code, the UI and the
// tests all read them. Plain constants (no server code), so client components can use them too.
import { BadRequestError } from "./errors";

/** Longest date range of any read (about 5 years). Checked on the resolved range, after defaults. */
export const MAX_RANGE_DAYS = 1830;
/** Hourly series read the hourly rollup; 31 days is 744 points per series. */
export const MAX_HOURLY_DAYS = 31;
/** Named series in one response (`top`); the rest are summed into one "Other" series. */
export const MAX_SERIES = 50;
/** Points per series: the longest range at the finest granularity allowed for it stays under this. */
export const MAX_POINTS = 2000;
/** Rows in one table-shaped response (groups, list items); more is refused with a hint to filter or page. */
export const MAX_ROWS = 10_000;
/**
 * Bytes of one response body, for the tests: (50 + "Other") series × 2,000 points at about 100 bytes of JSON each,
 * plus slack; and 10,000 rows at up to about 1 KB each.
 */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * Refuses a table over MAX_ROWS rows, so no response is ever a silently cut list. Queries fetch at most
 * MAX_ROWS + 1 rows (`ROW_PROBE`) so that a refusal costs no more than a full answer.
 */
export function checkRowCap(rows: number, what: string, hint: string): void {
  if (rows > MAX_ROWS) throw new BadRequestError(`More than ${MAX_ROWS.toLocaleString("en")} ${what} in one response; ${hint}`);
}
export const ROW_PROBE = MAX_ROWS + 1;
