import { expect, test } from "vitest";
import { FOLD_SCHEDULE, foldWaits } from "./fold-schedule";

const look = (rows: number, appended: number, at: number) => ({ rows, appended: BigInt(appended), at });

test("the fold waits only while the tail grows faster than a burst and is shorter than the burst size", () => {
  const { burstRowsPerSecond: rate, burstTailRows: size } = FOLD_SCHEDULE;
  // 250 ms apart: appends above the burst rate wait, at or below it fold.
  expect(foldWaits(look(1_000, 0, 0), look(1_000 + rate, rate, 250))).toBe(true);
  expect(foldWaits(look(1_000, 0, 0), look(1_000, rate / 4, 250))).toBe(false);
  // Nothing appended (the burst ended): fold.
  expect(foldWaits(look(50_000, 9_000, 0), look(50_000, 9_000, 250))).toBe(false);
  // A burst that has filled the tail: fold anyway.
  expect(foldWaits(look(size - 10, 0, 0), look(size, 10 * rate, 250))).toBe(false);
  // The rate is per second of the time between the looks, however long the last fold took.
  expect(foldWaits(look(0, 0, 0), look(1_000, 3 * rate, 4_000))).toBe(false);
  expect(foldWaits(look(0, 0, 0), look(1_000, 5 * rate, 4_000))).toBe(true);
  // Two looks in the same millisecond do not divide by zero.
  expect(foldWaits(look(0, 0, 10), look(0, 0, 10))).toBe(false);
});
